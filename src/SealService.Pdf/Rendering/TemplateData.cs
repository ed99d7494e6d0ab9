using System.Globalization;
using System.Text.Json;

namespace SealService.Pdf.Rendering;

/// <summary>Optional render context carried by a data file (samples, CLI).</summary>
public sealed record TemplateDataContext(string? DocumentNumber, string? IssueDate, string? VerificationUrl);

/// <summary>
/// A data file for a template: { "fields": { … }, "bound": { … }, "context": { "documentNumber", "issueDate",
/// "verificationUrl" } }. "fields" is what a caller sends; "bound" stands in for the registry's values of the bound
/// fields (a draft only: the service fills them itself). Every templates/&lt;id&gt;.sample.json has this shape.
/// </summary>
public sealed record TemplateData(
    IReadOnlyDictionary<string, JsonElement> Fields, TemplateDataContext? Context, IReadOnlyDictionary<string, string>? Bound = null)
{
    public const int MaxFileBytes = 1024 * 1024;

    public static TemplateData Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new TemplateException(RenderErrorCodes.DataInvalid, $"data file {path} does not exist");
        }

        if (info.Length > MaxFileBytes)
        {
            throw new TemplateException(RenderErrorCodes.DataInvalid, $"data file {path} is larger than {MaxFileBytes} bytes");
        }

        using var stream = info.OpenRead();
        return Parse(stream);
    }

    public static TemplateData Parse(Stream json)
    {
        try
        {
            var data = JsonSerializer.Deserialize<TemplateData>(json, TemplateCatalog.JsonOptions);
            return data?.Fields is null
                ? throw new TemplateException(RenderErrorCodes.DataInvalid, "data needs a \"fields\" object")
                : data;
        }
        catch (JsonException e)
        {
            throw new TemplateException(RenderErrorCodes.DataInvalid, $"data is not valid: {e.Message}");
        }
    }

    /// <summary>
    /// The render context: explicit arguments win over the file's "context"; the issue date
    /// defaults to <paramref name="today"/>. Document number and URL must come from somewhere.
    /// </summary>
    public RenderContext ToContext(
        DateOnly today, string? documentNumber = null, string? verificationUrl = null, DateOnly? issueDate = null)
    {
        var number = documentNumber ?? Context?.DocumentNumber
            ?? throw new TemplateException(RenderErrorCodes.ContextInvalid, "a document number is required", "documentNumber");
        var url = verificationUrl ?? Context?.VerificationUrl
            ?? throw new TemplateException(RenderErrorCodes.ContextInvalid, "a verification URL is required", "verificationUrl");
        var date = issueDate ?? today;
        if (issueDate is null && Context?.IssueDate is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                throw new TemplateException(RenderErrorCodes.ContextInvalid, "issueDate must be yyyy-MM-dd", "issueDate");
            }
        }

        return new RenderContext(number, date, url) { Bound = Bound ?? new Dictionary<string, string>() };
    }
}
