using SealService.Domain.Errors;

namespace SealService.Domain.Stamping;

/// <summary>How a transport maps a stamping failure: REST status in brackets, gRPC status after it.</summary>
public enum StampingErrorKind
{
    /// <summary>[403] PERMISSION_DENIED: a delegation-policy refusal; recorded as a seal use with outcome refused.</summary>
    Refused,

    /// <summary>[422] INVALID_ARGUMENT (or FAILED_PRECONDITION): invalid input, bad PDF, template field errors.</summary>
    Invalid,

    /// <summary>[404] NOT_FOUND: unknown seal, matter, template or document.</summary>
    NotFound,

    /// <summary>[409] ALREADY_EXISTS / ABORTED: idempotency key reused for a different request.</summary>
    Conflict,

    /// <summary>[413] RESOURCE_EXHAUSTED: upload larger than the limit.</summary>
    TooLarge,

    /// <summary>[403] PERMISSION_DENIED: the caller may not read this document / these records.</summary>
    Forbidden,

    /// <summary>[503] UNAVAILABLE: key store, TSA or storage failed; a number allocated for it is void.</summary>
    Unavailable,

    /// <summary>[400] INVALID_ARGUMENT: the request itself could not be read (a malformed or truncated body).</summary>
    BadRequest,
}

/// <summary>Stable codes besides the policy's refusal codes (<see cref="Policy.RefusalCodes"/>).</summary>
public static class StampingErrorCodes
{
    public const string ValidationFailed = ErrorCodes.ValidationFailed;
    public const string NotFound = ErrorCodes.NotFound;
    public const string Forbidden = ErrorCodes.Forbidden;
    public const string PdfInvalid = "PDF_INVALID";
    public const string PdfTooLarge = "PDF_TOO_LARGE";
    public const string IdempotencyConflict = "IDEMPOTENCY_CONFLICT";
    public const string IdempotencyKeyInvalid = "IDEMPOTENCY_KEY_INVALID";
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";
    public const string SigningFailed = "SIGNING_FAILED";
    public const string DocumentKindMismatch = "DOCUMENT_KIND_MISMATCH";
    public const string StampBasisChanged = "STAMP_BASIS_CHANGED";
    public const string MultipartInvalid = "MULTIPART_INVALID";
    public const string UploadPartsInvalid = "UPLOAD_PARTS_INVALID";

    // Template field errors keep the renderer's codes: TEMPLATE_FIELD_MISSING, TEMPLATE_FIELD_INVALID,
    // TEMPLATE_FIELD_UNKNOWN, TEMPLATE_FIELD_BOUND, RENDER_CONTEXT_INVALID, RENDER_TOO_MANY_PAGES (all Invalid / 422).
}

/// <summary>
/// A stamping request failed. <see cref="Code"/> is a policy refusal code or one of <see cref="StampingErrorCodes"/>;
/// <see cref="SealUseId"/> names the refused seal-use record when the failure was a policy refusal.
/// </summary>
public sealed class StampingException(
    string code, StampingErrorKind kind, string message, IReadOnlyDictionary<string, string[]>? errors = null, string? sealUseId = null)
    : DomainException(code, message, errors)
{
    public StampingErrorKind Kind { get; } = kind;

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
