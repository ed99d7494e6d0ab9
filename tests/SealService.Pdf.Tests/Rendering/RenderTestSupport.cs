using System.Text;
using System.Text.Json;
using SealService.Pdf.Rendering;

namespace SealService.Pdf.Tests.Rendering;

/// <summary>Repository paths, template samples and text helpers for the rendering tests.</summary>
internal static class RenderTestSupport
{
    private static readonly Lazy<string> TemplatesDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SealService.sln")))
            {
                return Path.Combine(dir.FullName, "templates");
            }
        }

        throw new InvalidOperationException("repository root (SealService.sln) not found");
    });

    private static readonly Lazy<TemplateCatalog> SharedCatalog = new(() => TemplateCatalog.Load(TemplatesDirectory));

    internal static string TemplatesDirectory => TemplatesDir.Value;

    internal static TemplateCatalog Catalog => SharedCatalog.Value;

    /// <summary>Every template found in templates/, so a new template is tested without code changes.</summary>
    public static TheoryData<string> TemplateIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in Catalog.Ids)
        {
            data.Add(id);
        }

        return data;
    }

    internal static readonly DateTimeOffset FixedCreation = new(2026, 11, 29, 9, 30, 0, TimeSpan.FromHours(8));

    internal static (TemplateData Data, RenderContext Context) Sample(string id)
    {
        var data = TemplateData.Load(Catalog.SamplePath(id));
        var context = data.ToContext(new DateOnly(2026, 11, 29)) with { CreatedAt = FixedCreation };
        return (data, context);
    }

    internal static (RenderResult Result, string Path) RenderToFile(
        string id, Func<RenderContext, RenderContext>? adjust = null, IReadOnlyDictionary<string, JsonElement>? fields = null)
    {
        var (data, context) = Sample(id);
        if (adjust is not null)
        {
            context = adjust(context);
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sealservice-render-{id}-{Guid.NewGuid():N}.pdf");
        using var stream = File.Create(path);
        var result = DocumentRenderer.Render(Catalog.Get(id), fields ?? data.Fields, context, stream);
        return (result, path);
    }


    internal static string WithoutWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    internal static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
