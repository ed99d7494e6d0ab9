using SealService.Domain.Catalogue;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>Imports catalogue CSVs: parse and validate the whole file, then write it in one transaction.</summary>
public sealed class CatalogueImporter(IRegistryStore store)
{
    /// <summary>Largest catalogue accepted, in characters; larger input fails with CATALOGUE_ROW_INVALID at the line where it crossed.</summary>
    public const int MaxFileChars = CsvReader.MaxFileChars;

    /// <summary>Imports one file; the file name picks the format (e.g. "heze-mudan.csv"). Admin only.</summary>
    public Task<CatalogueImportResult> ImportAsync(Caller caller, TextReader reader, string fileName, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        return ImportAsync(reader, fileName, ct);
    }

    /// <summary>Imports one file without an access check (host start-up, CLI on the local store).</summary>
    public Task<CatalogueImportResult> ImportAsync(TextReader reader, string fileName, CancellationToken ct)
    {
        var batch = CatalogueParser.Parse(reader, fileName);
        return store.ImportCatalogueAsync(batch, ct);
    }

    /// <summary>Imports the embedded seed set (all five files, 364 rows). Idempotent.</summary>
    public async Task<IReadOnlyList<CatalogueImportResult>> ImportSeedAsync(CancellationToken ct)
    {
        var results = new List<CatalogueImportResult>();
        foreach (var batch in SeedCatalogues.ParseAll())
        {
            results.Add(await store.ImportCatalogueAsync(batch, ct));
        }

        return results;
    }
}
