using System.Text.Json;
using SealService.Pdf.Rendering;
using static SealService.Pdf.Tests.Rendering.RenderTestSupport;

namespace SealService.Pdf.Tests.Rendering;

/// <summary>Bad field values are refused with a stable code naming the field, and nothing is written.</summary>
public sealed class FieldValidationTests
{
    private static TemplateException Refused(string id, Action<Dictionary<string, JsonElement>> change, Func<RenderContext, RenderContext>? adjust = null)
    {
        var (data, context) = Sample(id);
        var fields = new Dictionary<string, JsonElement>(data.Fields);
        change(fields);
        using var output = new MemoryStream();
        var error = Assert.Throws<TemplateException>(
            () => DocumentRenderer.Render(Catalog.Get(id), fields, adjust is null ? context : adjust(context), output));
        Assert.Equal(0, output.Length);
        return error;
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void MissingRequiredField_IsFieldMissing()
    {
        var error = Refused("acceptance-receipt", f => f.Remove("applicantName"));
        Assert.Equal("TEMPLATE_FIELD_MISSING", error.Code);
        Assert.Equal("applicantName", error.Field);
        Assert.Contains("申请人", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankRequiredField_IsFieldMissing()
    {
        var error = Refused("certificate", f => f["personName"] = Json("\"   \""));
        Assert.Equal(("TEMPLATE_FIELD_MISSING", "personName"), (error.Code, error.Field));
    }

    [Theory]
    [InlineData("acceptance-receipt", "promisedDays", "\"五\"")]
    [InlineData("acceptance-receipt", "promisedDays", "2.5")]
    [InlineData("acceptance-receipt", "promisedDays", "0")]
    [InlineData("acceptance-receipt", "submittedOn", "\"2026/11/27\"")]
    [InlineData("acceptance-receipt", "submittedOn", "\"2026-02-30\"")]
    [InlineData("review-opinion", "reviewResult", "\"基本同意\"")]
    [InlineData("certificate", "idNumber", "\"1405251990010112345\"")]
    [InlineData("certificate", "personName", "\"李\\n四\"")]
    [InlineData("certificate", "personName", "\"李四😀\"")]
    [InlineData("licence-decision", "applicantName", "42")]
    public void InvalidValue_IsFieldInvalid_NamingTheField(string id, string field, string json)
    {
        var error = Refused(id, f => f[field] = Json(json));
        Assert.Equal("TEMPLATE_FIELD_INVALID", error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void UnknownField_IsRefused()
    {
        var error = Refused("certificate", f => f["spouseName"] = Json("\"赵某\""));
        Assert.Equal(("TEMPLATE_FIELD_UNKNOWN", "spouseName"), (error.Code, error.Field));
    }

    [Fact]
    public void OptionalFieldAbsent_LeavesItsBlockOut()
    {
        var (data, context) = Sample("acceptance-receipt");
        var fields = new Dictionary<string, JsonElement>(data.Fields);
        fields.Remove("materials");
        fields.Remove("contactPhone");
        using var output = new MemoryStream();
        var result = DocumentRenderer.Render(Catalog.Get("acceptance-receipt"), fields, context, output);
        Assert.DoesNotContain(result.Lines, l => l.Text.Contains("已收取的申请材料", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Lines, l => l.Text.Contains("联系电话", StringComparison.Ordinal));
        Assert.True(output.Length > 0);
    }

    [Theory]
    [InlineData("ftp://seal.example.gov.cn/v/1")]
    [InlineData("/v/relative")]
    [InlineData("https://seal.example.gov.cn/v/有中文")]
    public void BadVerificationUrl_IsContextInvalid(string url)
    {
        var error = Refused("certificate", _ => { }, c => c with { VerificationUrl = url });
        Assert.Equal(("RENDER_CONTEXT_INVALID", "verificationUrl"), (error.Code, error.Field));
    }

    [Fact]
    public void EmptyDocumentNumber_IsContextInvalid()
    {
        var error = Refused("certificate", _ => { }, c => c with { DocumentNumber = "" });
        Assert.Equal(("RENDER_CONTEXT_INVALID", "documentNumber"), (error.Code, error.Field));
    }

    [Fact]
    public void TooLongText_SpillsOntoMorePages_ThenIsRefusedPastTheLimit()
    {
        var (data, context) = Sample("review-opinion");
        var fields = new Dictionary<string, JsonElement>(data.Fields)
        {
            ["opinion"] = Json(JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("经现场核查，符合条件。", 100)))),
        };
        using var output = new MemoryStream();
        var result = DocumentRenderer.Render(Catalog.Get("review-opinion"), fields, context, output);
        Assert.Equal(3, result.PageCount);
        Assert.Equal(2, result.Seal!.PageIndex);
    }
}
