namespace SealService.Pdf.Parsing;

/// <summary>
/// A PDF the service cannot accept. <see cref="Code"/> is stable for callers (the stamping API maps
/// PDF_INVALID and PDF_ENCRYPTED to 422).
/// </summary>
public sealed class PdfFormatException(string code, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public const string Invalid = "PDF_INVALID";
    public const string Encrypted = "PDF_ENCRYPTED";
    public const string Unsupported = "PDF_UNSUPPORTED";

    public string Code { get; } = code;

    internal static PdfFormatException Bad(string message) => new(Invalid, message);
}
