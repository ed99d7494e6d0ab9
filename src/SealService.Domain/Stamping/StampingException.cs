using SealService.Domain.Errors;

namespace SealService.Domain.Stamping;

/// <summary>Stable codes besides the policy's refusal codes (<see cref="Policy.RefusalCodes"/>).</summary>
public static class StampingErrorCodes
{
    public const string ValidationFailed = ErrorCodes.ValidationFailed;
    public const string NotFound = ErrorCodes.NotFound;
    public const string Forbidden = ErrorCodes.Forbidden;
    public const string PdfInvalid = "PDF_INVALID";
    public const string PdfTooLarge = "PDF_TOO_LARGE";
    public const string IdempotencyConflict = "IDEMPOTENCY_CONFLICT";
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";
    public const string SigningFailed = "SIGNING_FAILED";
    public const string SignatureLevelUnavailable = "SIGNATURE_LEVEL_UNAVAILABLE";
    public const string DocumentKindMismatch = "DOCUMENT_KIND_MISMATCH";
    public const string StampBasisChanged = "STAMP_BASIS_CHANGED";
    public const string MultipartInvalid = "MULTIPART_INVALID";
    public const string UploadPartsInvalid = "UPLOAD_PARTS_INVALID";

    // Template field errors keep the renderer's codes (TEMPLATE_FIELD_*, RENDER_*); the API's error catalogue gives
    // every code its HTTP and gRPC status.
}

/// <summary>
/// A stamping request failed. <see cref="Code"/> is a policy refusal code or one of <see cref="StampingErrorCodes"/>;
/// <see cref="SealUseId"/> names the refused seal-use record when the failure was a policy refusal.
/// </summary>
public sealed class StampingException(
    string code, string message, IReadOnlyDictionary<string, string[]>? errors = null, string? sealUseId = null)
    : DomainException(code, message, errors)
{
    public string? SealUseId { get; } = sealUseId;

    /// <summary>A template or field name the error is about (template errors), else null.</summary>
    public string? Field { get; init; }
}

/// <summary>
/// Thrown by <see cref="IStampingStore.CommitStampAsync"/> when the seal or agreement changed (a new version: revoked,
/// suspended, amended) between the decision and the commit. Nothing was written; the service records the refusal.
/// </summary>
public sealed class StampBasisChangedException(string message)
    : DomainException(StampingErrorCodes.StampBasisChanged, message);
