using BenchmarkDotNet.Attributes;
using SealService.Pdf.Fonts;
using SealService.Pdf.Rendering;
using SealService.Pdf.Seals;

namespace SealService.Bench;

/// <summary>
/// Render each template's sample to an in-memory PDF (font subset, layout, QR, vector seal).
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*RenderBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private TemplateCatalog catalog = null!;
    private DocumentTemplate template = null!;
    private TemplateData data = null!;
    private RenderContext context = null!;
    private readonly MemoryStream output = new(64 * 1024);
    private int[] codePoints = [];

    [ParamsSource(nameof(TemplateIds))]
    public string Template { get; set; } = "";

    public static IEnumerable<string> TemplateIds() => TemplateCatalog.Load(FindTemplates()).Ids;

    [GlobalSetup]
    public void Setup()
    {
        catalog = TemplateCatalog.Load(FindTemplates());
        template = catalog.Get(Template);
        data = TemplateData.Load(catalog.SamplePath(Template));
        context = data.ToContext(new DateOnly(2026, 11, 29));
        _ = DocumentFont.Shared; // load the font once, as the service does at start-up
        var text = string.Concat(data.Fields.Values.Select(v => v.ToString())) + string.Concat(context.Bound.Values)
            + string.Concat(template.Blocks.Select(b => b.Text + string.Concat(b.Lines ?? [])));
        codePoints = text.EnumerateRunes().Select(r => r.Value).Distinct().ToArray();
    }

    [Benchmark]
    public long Render()
    {
        output.SetLength(0);
        DocumentRenderer.Render(template, data.Fields, context, output);
        return output.Length;
    }

    /// <summary>The font-subsetting share of <see cref="Render"/>: the sample's characters plus the seal's.</summary>
    [Benchmark]
    public int SubsetFontOnly()
    {
        using var typeface = DocumentFont.Shared.CreateSubset(codePoints);
        return typeface.GlyphCount;
    }

    [Benchmark]
    public int SealPng256() => SealImage.RenderPng(SealFace.FromSealText("牡丹区行政审批服务局审批专用章（沙土镇）"), 256).Length;

    private static string FindTemplates()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SealService.sln")))
            {
                return Path.Combine(dir.FullName, "templates");
            }
        }

        throw new InvalidOperationException("templates folder not found (run from the repository)");
    }
}
