using System.Text;

namespace SealService.Domain.Catalogue;

/// <summary>The project's own copy of the five public catalogues (364 rows), embedded in this assembly.</summary>
public static class SeedCatalogues
{
    public static readonly IReadOnlyList<string> Files =
    [
        "heze-mudan.csv", "zaozhuang-shanting.csv", "hanzhong-mianxian.csv", "jincheng-zezhou-town.csv", "jincheng-zezhou-village.csv",
    ];

    public static TextReader Open(string file)
    {
        var stream = typeof(SeedCatalogues).Assembly.GetManifestResourceStream($"SealService.Domain.Seed.{file}")
            ?? throw new InvalidOperationException($"embedded catalogue {file} missing from the build");
        return new StreamReader(stream, Encoding.UTF8);
    }

    /// <summary>Parses every embedded catalogue (pure; no store involved).</summary>
    public static IReadOnlyList<CatalogueBatch> ParseAll()
    {
        var batches = new List<CatalogueBatch>(Files.Count);
        foreach (var file in Files)
        {
            using var reader = Open(file);
            batches.Add(CatalogueParser.Parse(reader, file));
        }

        return batches;
    }
}
