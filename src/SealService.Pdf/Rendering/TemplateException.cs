namespace SealService.Pdf.Rendering;

/// <summary>Stable machine codes for template and rendering failures.</summary>
public static class RenderErrorCodes
{
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";
    public const string TemplateInvalid = "TEMPLATE_INVALID";
    public const string FieldMissing = "TEMPLATE_FIELD_MISSING";
    public const string FieldInvalid = "TEMPLATE_FIELD_INVALID";
    public const string FieldUnknown = "TEMPLATE_FIELD_UNKNOWN";
    public const string FieldBound = "TEMPLATE_FIELD_BOUND";
    public const string ContextInvalid = "RENDER_CONTEXT_INVALID";
    public const string TooManyPages = "RENDER_TOO_MANY_PAGES";
    public const string DataInvalid = "TEMPLATE_DATA_INVALID";
}

/// <summary>A template, its data or the render context was refused; <see cref="Code"/> is stable.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string code, string message, string? field = null)
        : base($"{code}: {message}")
    {
        Code = code;
        Field = field;
        Detail = message;
    }

    /// <summary>UPPER_SNAKE code, e.g. TEMPLATE_FIELD_MISSING.</summary>
    public string Code { get; }

    /// <summary>The field at fault, when there is one.</summary>
    public string? Field { get; }

    /// <summary>Readable message without the code prefix.</summary>
    public string Detail { get; }
}
