using System.CommandLine;
using System.Text;
using SealService.Domain.Application;
using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl catalog import</c>: loads catalogue CSVs straight into the local store (no service needed).</summary>
public static class CatalogCommands
{
    public static Command Create()
    {
        var catalog = new Command("catalog", "Matter catalogues (政务服务事项目录)");
        catalog.Subcommands.Add(CreateImport());
        return catalog;
    }

    private static Command CreateImport()
    {
        var file = new Option<FileInfo?>("--file") { Description = "CSV file to import (all or nothing)" };
        var format = new Option<string?>("--format")
        {
            Description = $"Catalogue format when the file name is not one of them: {string.Join(", ", SeedCatalogues.Files.Select(f => Path.GetFileNameWithoutExtension(f)))}",
        };
        var seed = new Option<bool>("--seed") { Description = "Import the five embedded catalogues (364 rows)" };

        var import = new Command("import", "Import a catalogue CSV (or the embedded seed set) into the data folder's store");
        import.Options.Add(file);
        import.Options.Add(format);
        import.Options.Add(seed);
        import.Validators.Add(result =>
        {
            if ((result.GetValue(file) is null) == !result.GetValue(seed))
                result.AddError("give either --file F.csv or --seed");
        });
        import.SetAction(async (parse, ct) =>
        {
            try
            {
                var store = await CliStorage.OpenRegistryAsync(parse, ct);
                var importer = new CatalogueImporter(store);
                if (parse.GetValue(seed))
                {
                    foreach (var result in await importer.ImportSeedAsync(ct))
                        Print(parse, result);
                    return 0;
                }

                var source = parse.GetValue(file)!;
                var formatName = parse.GetValue(format);
                var name = formatName is null ? source.Name : $"{formatName}.csv";
                using var reader = new StreamReader(source.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                Print(parse, await importer.ImportAsync(reader, name, ct));
                return 0;
            }
            catch (DomainException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"sealctl catalog import: {e.Code}: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"sealctl catalog import: {e.Message}");
                return 1;
            }
        });
        return import;
    }

    private static void Print(ParseResult parse, CatalogueImportResult r) =>
        parse.InvocationConfiguration.Output.WriteLine($"{r.File}: {r.Total} rows ({r.Inserted} inserted, {r.Updated} updated, {r.Unchanged} unchanged)");
}
