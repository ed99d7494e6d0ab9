namespace SealService.Pdf.Signing;

/// <summary>A signing request the signer refuses; <see cref="Code"/> is stable for callers.</summary>
public sealed class PdfSigningException(string code, string message) : Exception(message)
{
    public const string PageOutOfRange = "PDF_PAGE_OUT_OF_RANGE";
    public const string RectInvalid = "SEAL_RECT_INVALID";
    public const string ImageInvalid = "SEAL_IMAGE_INVALID";
    public const string SigningForbidden = "PDF_SIGNING_FORBIDDEN";
    public const string SignatureTooLarge = "SIGNATURE_TOO_LARGE";
    public const string SignatureFieldNotFound = "SIGNATURE_FIELD_NOT_FOUND";
    public const string SignatureFieldNotEmpty = "SIGNATURE_FIELD_NOT_EMPTY";
    public const string CertifiedNeedsField = "DOCUMENT_CERTIFIED_FIELD_REQUIRED";
    public const string CertificationNotFirst = "CERTIFICATION_NOT_FIRST";

    public string Code { get; } = code;
}
