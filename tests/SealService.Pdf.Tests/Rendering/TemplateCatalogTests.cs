using SealService.Pdf.Rendering;

namespace SealService.Pdf.Tests.Rendering;

/// <summary>Template files are checked when loaded: a broken template fails at start-up.</summary>
public sealed class TemplateCatalogTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("sealservice-templates-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private const string Valid = """
        {
          "id": "mini",
          "title": "测试",
          "documentKind": "other",
          "marginsMm": { "top": 30, "right": 25, "bottom": 30, "left": 25 },
          "fields": [ { "name": "who", "type": "string", "required": true } ],
          "blocks": [ { "kind": "text", "text": "致{who}：" }, { "kind": "signature", "lines": ["某机关", "{issueDate}"] } ]
        }
        """;

    private TemplateException LoadFails(string json, string file = "mini.json")
    {
        File.WriteAllText(Path.Combine(dir, file), json);
        var error = Assert.Throws<TemplateException>(() => TemplateCatalog.Load(dir));
        Assert.Equal("TEMPLATE_INVALID", error.Code);
        return error;
    }

    [Fact]
    public void NewTemplateFile_IsPickedUpWithoutCodeChanges_AndSamplesAreSkipped()
    {
        File.WriteAllText(Path.Combine(dir, "mini.json"), Valid);
        File.WriteAllText(Path.Combine(dir, "mini.sample.json"), """{ "fields": { "who": "张三" } }""");
        var catalog = TemplateCatalog.Load(dir);
        Assert.Equal(["mini"], catalog.Ids);
        Assert.Equal(FieldType.String, catalog.Get("mini").Fields[0].Type);
        Assert.Equal(SealService.Domain.Model.DocumentKind.Other, catalog.Get("mini").DocumentKind);
    }

    [Theory]
    [InlineData("\"documentKind\": \"other\"", "\"documentKind\": \"licence\"")]
    [InlineData("\"required\": true }", "\"required\": true, \"bind\": \"applicantName\" }")]
    public void UnknownKindOrBinding_IsRejected(string from, string to)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        LoadFails(Valid.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryShippedTemplate_DeclaresItsKind()
    {
        var kinds = RenderTestSupport.Catalog.Templates.ToDictionary(t => t.Id, t => SealService.Domain.Model.Wire.Name(t.DocumentKind));
        Assert.Equal("decision", kinds["licence-decision"]);
        Assert.Equal("acceptance-receipt", kinds["acceptance-receipt"]);
        Assert.Equal("review-opinion", kinds["review-opinion"]);
        Assert.Equal("certification", kinds["certificate"]);
    }

    [Fact]
    public void UnknownPlaceholder_IsRejected() =>
        Assert.Contains("{nobody}", LoadFails(Valid.Replace("致{who}", "致{nobody}", StringComparison.Ordinal)).Message, StringComparison.Ordinal);

    [Fact]
    public void UnbalancedBrace_IsRejected() => LoadFails(Valid.Replace("致{who}", "致{who", StringComparison.Ordinal));

    [Fact]
    public void MisspelledProperty_IsRejected() =>
        LoadFails(Valid.Replace("\"required\"", "\"requird\"", StringComparison.Ordinal));

    [Fact]
    public void IdMustMatchFileName() => LoadFails(Valid, "other.json");

    [Fact]
    public void UnknownFieldType_IsRejected() =>
        LoadFails(Valid.Replace("\"type\": \"string\"", "\"type\": \"money\"", StringComparison.Ordinal));

    [Fact]
    public void StaticCharacterMissingFromTheFont_IsRejected() =>
        LoadFails(Valid.Replace("致{who}", "致{who}😀", StringComparison.Ordinal));

    [Fact]
    public void ReservedFieldName_IsRejected() =>
        LoadFails(Valid.Replace("\"name\": \"who\"", "\"name\": \"issueDate\"", StringComparison.Ordinal).Replace("{who}", "", StringComparison.Ordinal));

    [Fact]
    public void UnknownTemplateId_IsNotFound()
    {
        File.WriteAllText(Path.Combine(dir, "mini.json"), Valid);
        var error = Assert.Throws<TemplateException>(() => TemplateCatalog.Load(dir).Get("nope"));
        Assert.Equal("TEMPLATE_NOT_FOUND", error.Code);
    }
}
