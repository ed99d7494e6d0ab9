using System.Text.Json;
using System.Text.Json.Nodes;
using SealService.Pdf.Rendering;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>Input PDFs for upload tests, made with the real renderer and qpdf.</summary>
public static class TestPdfs
{
    private static readonly Lazy<TemplateCatalog> Catalog = new(() => TemplateCatalog.Load(Path.Combine(AppContext.BaseDirectory, "templates")));

    public static Dictionary<string, object?> SampleFields(string templateId)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Catalog.Value.SamplePath(templateId)))!["fields"]!.AsObject();
        return sample.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
    }

    /// <summary>An unsigned A4 document (classic xref table) rendered from a template sample.</summary>
    public static byte[] Plain(string templateId = "certificate")
    {
        var data = TemplateData.Load(Catalog.Value.SamplePath(templateId));
        using var output = new MemoryStream();
        DocumentRenderer.Render(Catalog.Value.Get(templateId), data.Fields,
            new RenderContext("测试〔2026〕1号", new DateOnly(2026, 11, 29), "https://verify.example/doc") { Bound = data.Bound! }, output);
        return output.ToArray();
    }

    /// <summary>The same document rewritten by qpdf with cross-reference and object streams.</summary>
    public static byte[] WithXrefStreams(byte[] pdf) => ThroughQpdf(pdf, "--object-streams=generate");

    /// <summary>AES-256 encrypted (user password "u").</summary>
    public static byte[] Encrypted(byte[] pdf) => ThroughQpdf(pdf, "--encrypt", "u", "o", "256", "--");

    private static byte[] ThroughQpdf(byte[] pdf, params string[] options)
    {
        var dir = Directory.CreateTempSubdirectory("qpdf-").FullName;
        try
        {
            var input = Path.Combine(dir, "in.pdf");
            var output = Path.Combine(dir, "out.pdf");
            File.WriteAllBytes(input, pdf);
            var result = ExternalTools.Run("qpdf", [.. options, input, output]);
            Assert.True(result.ExitCode == 0, result.All);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
