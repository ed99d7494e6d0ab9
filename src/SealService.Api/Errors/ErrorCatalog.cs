using Grpc.Core;
using SealService.Domain.Policy;
using SealService.Domain.Stamping;
using SealService.Ledger;
using SealService.Pdf.Rendering;
using SealService.Pdf.Signing;
using DomainCodes = SealService.Domain.Errors.ErrorCodes;

namespace SealService.Api.Errors;

/// <summary>What kind of failure a code is; the kind alone decides the HTTP and the gRPC status.</summary>
public enum ErrorKind
{
    BadRequest,
    Unprocessable,
    Unauthenticated,
    Forbidden,
    Refused,
    NotFound,
    MethodNotAllowed,
    Conflict,
    Duplicate,
    StateConflict,
    TooLarge,
    UriTooLong,
    UnsupportedMediaType,
    HeadersTooLarge,
    Unavailable,
    Internal,
}

/// <summary>One catalogued code: its kind (hence its statuses) and when it is answered.</summary>
public sealed record ErrorEntry(string Code, ErrorKind Kind, string When)
{
    public int HttpStatus => ErrorCatalog.HttpStatus(Kind);

    public StatusCode GrpcStatus => ErrorCatalog.GrpcStatus(Kind);
}

/// <summary>
/// The one table of error codes: code → kind → HTTP status → gRPC status. REST (ProblemDetails), gRPC (status,
/// trailer, ErrorInfo) and the ledger endpoints all answer through it; docs/api.md's table is checked against it.
/// </summary>
public static class ErrorCatalog
{
    public static readonly IReadOnlyList<ErrorEntry> Entries =
    [
        new(DomainCodes.ValidationFailed, ErrorKind.BadRequest, "a field is missing, too long (names ≤ 200, reasons ≤ 500, ids ≤ 64 chars), malformed or names an unknown id; a missing `Idempotency-Key`; template and upload both or neither; a placement outside the page count; `errors` maps field → messages"),
        new(ErrorCodes.InvalidJson, ErrorKind.BadRequest, "the body is not JSON, has the wrong type for a field, or is missing"),
        new(ErrorCodes.BadRequest, ErrorKind.BadRequest, "a query or route value of the wrong type (`?page=first`, `?at=yesterday`)"),
        new(StampingErrorCodes.MultipartInvalid, ErrorKind.BadRequest, "the multipart body is malformed or breaks off"),
        new(LedgerErrorCodes.IndexOutOfRange, ErrorKind.BadRequest, "a ledger index beyond the log"),
        new(LedgerErrorCodes.TreeSizeInvalid, ErrorKind.BadRequest, "a tree size that is not positive or beyond the log"),
        new(LedgerErrorCodes.RangeInvalid, ErrorKind.BadRequest, "a ledger entry range that is empty, reversed or too long"),
        new(ErrorCodes.UriTooLong, ErrorKind.UriTooLong, "the request target is longer than `SealService:MaxRequestTargetBytes` (default 8 KiB)"),
        new(ErrorCodes.HeadersTooLarge, ErrorKind.HeadersTooLarge, "the request headers are larger than `SealService:MaxRequestHeaderBytes` (default 32 KiB)"),
        new(ErrorCodes.UnsupportedMediaType, ErrorKind.UnsupportedMediaType, "a JSON or multipart endpoint called with another content type"),
        new(ErrorCodes.PayloadTooLarge, ErrorKind.TooLarge, "a JSON body over `MaxRequestBodyBytes`"),
        new(StampingErrorCodes.PdfTooLarge, ErrorKind.TooLarge, "an uploaded PDF over `MaxUploadBytes` (stamping) or `Verification:MaxUploadBytes`"),

        new(StampingErrorCodes.PdfInvalid, ErrorKind.Unprocessable, "not a PDF, damaged, encrypted, an unsupported or ambiguous structure, no pages (docs/signing.md, \"Strict reading\")"),
        new(StampingErrorCodes.UploadPartsInvalid, ErrorKind.Unprocessable, "the multipart body is not exactly one `request` part followed by one `file` part"),
        new(StampingErrorCodes.DocumentKindMismatch, ErrorKind.Unprocessable, "`documentKind` differs from the kind the template declares (recorded as a refused attempt)"),
        new(RenderErrorCodes.FieldMissing, ErrorKind.Unprocessable, "a required template field is absent (`field` names it)"),
        new(RenderErrorCodes.FieldInvalid, ErrorKind.Unprocessable, "a template field has the wrong type or is too long (`field` names it)"),
        new(RenderErrorCodes.FieldUnknown, ErrorKind.Unprocessable, "a field the template does not declare (`field` names it)"),
        new(RenderErrorCodes.FieldBound, ErrorKind.Unprocessable, "a field the template binds to the registry (matter name, acting body, case number, …) was sent"),
        new(RenderErrorCodes.DataInvalid, ErrorKind.Unprocessable, "the template data as a whole is unusable (too many fields)"),
        new(RenderErrorCodes.ContextInvalid, ErrorKind.Unprocessable, "the registry facts the template needs are missing or too long"),
        new(RenderErrorCodes.TooManyPages, ErrorKind.Unprocessable, "the rendered document would exceed the page limit"),
        new(PdfSigningException.PageOutOfRange, ErrorKind.Unprocessable, "the placement names a page the upload does not have (after numbering: the number is void)"),
        new(PdfSigningException.RectInvalid, ErrorKind.Unprocessable, "the seal rectangle lies off the page (the number is void)"),
        new(PdfSigningException.SigningForbidden, ErrorKind.Unprocessable, "the upload is certified with no changes allowed (DocMDP P=1; the number is void)"),
        new(PdfSigningException.CertifiedNeedsField, ErrorKind.Unprocessable, "the upload is certified with DocMDP P=2 or P=3, which allows filling an existing signature field only: name one of its empty fields in `signatureField` (the message lists them; the number is void)"),
        new(PdfSigningException.SignatureFieldNotFound, ErrorKind.Unprocessable, "`signatureField` names no empty, merged signature field of the upload (the message lists the empty ones; the number is void)"),
        new(StampingErrorCodes.SignatureLevelUnavailable, ErrorKind.Unprocessable, "the PAdES level asked for (request `signatureLevel`, else the seal's) needs a time-stamp authority and this host has none (Keys:Tsa:Url)"),
        new(PdfSigningException.SignatureFieldNotEmpty, ErrorKind.Unprocessable, "the signature field `signatureField` names is already signed (the number is void)"),
        new(PdfSigningException.CertificationNotFirst, ErrorKind.Unprocessable, "a certification signature was asked for on an already signed PDF (sealctl and the library only; stamping never certifies)"),
        new(DomainCodes.CatalogueRowInvalid, ErrorKind.Unprocessable, "catalogue import: a bad row; `file`, `line` members; nothing imported"),
        new(DomainCodes.CatalogueUnknownFormat, ErrorKind.Unprocessable, "catalogue import: the file name is none of the five formats"),

        new(ErrorCodes.Unauthenticated, ErrorKind.Unauthenticated, "no bearer token"),
        new(ErrorCodes.TokenInvalid, ErrorKind.Unauthenticated, "not a JWT at all"),
        new(ErrorCodes.TokenUnsigned, ErrorKind.Unauthenticated, "`alg: none` or no signature"),
        new(ErrorCodes.TokenInvalidSignature, ErrorKind.Unauthenticated, "signed with another key (or an HMAC)"),
        new(ErrorCodes.TokenInvalidAlgorithm, ErrorKind.Unauthenticated, "a signature algorithm other than ES256, ES384, RS256, PS256"),
        new(ErrorCodes.TokenInvalidIssuer, ErrorKind.Unauthenticated, "wrong `iss`"),
        new(ErrorCodes.TokenInvalidAudience, ErrorKind.Unauthenticated, "wrong `aud`"),
        new(ErrorCodes.TokenExpired, ErrorKind.Unauthenticated, "past `exp`"),
        new(ErrorCodes.TokenNotYetValid, ErrorKind.Unauthenticated, "before `nbf`"),
        new(ErrorCodes.TokenClaimsInvalid, ErrorKind.Unauthenticated, "valid signature, but no `name`, no single known `role`, or a role without its `dept`/`township`"),

        new(DomainCodes.Forbidden, ErrorKind.Forbidden, "the role may not do this, or the record is outside the caller's department or township"),
        new(RefusalCodes.SealNotHeldByCaller, ErrorKind.Refused, "the seal is held by another township than the caller's"),
        new(RefusalCodes.SealRevoked, ErrorKind.Refused, "the seal is revoked"),
        new(RefusalCodes.SealRetired, ErrorKind.Refused, "the seal is retired"),
        new(RefusalCodes.SealSuspended, ErrorKind.Refused, "the seal is suspended"),
        new(RefusalCodes.SealExpired, ErrorKind.Refused, "the stamp falls outside the seal's validity"),
        new(RefusalCodes.CrossTownship, ErrorKind.Refused, "the case belongs to another township than the seal's"),
        new(RefusalCodes.MatterNotDelegated, ErrorKind.Refused, "no agreement delegates this matter to the township"),
        new(RefusalCodes.AgreementRevoked, ErrorKind.Refused, "the agreement is revoked"),
        new(RefusalCodes.AgreementSuspended, ErrorKind.Refused, "the agreement is suspended"),
        new(RefusalCodes.AgreementNotFiled, ErrorKind.Refused, "the agreement has not been filed with the county"),
        new(RefusalCodes.AgreementNotYetEffective, ErrorKind.Refused, "the agreement's period has not begun"),
        new(RefusalCodes.AgreementExpired, ErrorKind.Refused, "the agreement's period has ended"),
        new(RefusalCodes.SealWrongOwner, ErrorKind.Refused, "the seal acts for another body than the agreement's"),
        new(RefusalCodes.StepNotAllowed, ErrorKind.Refused, "the step is not delegated in this mode"),
        new(RefusalCodes.DocumentKindNotAllowed, ErrorKind.Refused, "the document kind does not fit the mode or the step"),

        new(DomainCodes.NotFound, ErrorKind.NotFound, "an unknown id in the path; an unknown route"),
        new(RefusalCodes.SealNotFound, ErrorKind.NotFound, "stamping: an unknown seal (recorded as a refused attempt)"),
        new(RefusalCodes.MatterNotFound, ErrorKind.NotFound, "stamping: an unknown matter (recorded as a refused attempt)"),
        new(StampingErrorCodes.TemplateNotFound, ErrorKind.NotFound, "an unknown template"),
        new(LedgerErrorCodes.TreeHeadNotFound, ErrorKind.NotFound, "no signed tree head of that size"),
        new(ErrorCodes.MethodNotAllowed, ErrorKind.MethodNotAllowed, "the method is not allowed on this resource"),

        new(DomainCodes.Conflict, ErrorKind.Conflict, "the id already exists; a stale `version`"),
        new(StampingErrorCodes.StampBasisChanged, ErrorKind.Conflict, "the registry changed while signing and now allows the stamp on another basis: retry"),
        new(StampingErrorCodes.IdempotencyConflict, ErrorKind.Duplicate, "the `Idempotency-Key` was used for a different request"),
        new(DomainCodes.InvalidStateTransition, ErrorKind.StateConflict, "an action the record's state does not allow (resume an effective agreement, anything on a retired seal)"),

        new(StampingErrorCodes.SigningFailed, ErrorKind.Unavailable, "the key store or the TSA failed (the number is void); retry later"),
        new(LedgerErrorCodes.LedgerClosed, ErrorKind.Unavailable, "the ledger is shutting down"),
        new(LedgerErrorCodes.LedgerTampered, ErrorKind.Unavailable, "the stored log does not match its signed heads: the service stops stamping"),
        new(LedgerErrorCodes.LedgerKeyMismatch, ErrorKind.Unavailable, "the ledger key is not the one the stored heads were signed with"),
        new(LedgerErrorCodes.LedgerKeyInvalid, ErrorKind.Unavailable, "the ledger key cannot be used"),

        new(ErrorCodes.Internal, ErrorKind.Internal, "a bug; logged, details not returned"),
        new(RenderErrorCodes.TemplateInvalid, ErrorKind.Internal, "a deployed template is broken (an operator's error, logged)"),
        new(PdfSigningException.ImageInvalid, ErrorKind.Internal, "the seal's registered image cannot be drawn (logged)"),
        new(PdfSigningException.SignatureTooLarge, ErrorKind.Internal, "the signature outgrew its reserved space (a bug, logged)"),
        new(LedgerErrorCodes.EntryEmpty, ErrorKind.Internal, "an empty ledger entry (a bug, logged)"),
        new(LedgerErrorCodes.EntryTooLarge, ErrorKind.Internal, "a ledger entry over its size limit (a bug, logged)"),
        new(LedgerErrorCodes.CanonicalJsonInvalid, ErrorKind.Internal, "a ledger entry that is not canonical JSON (a bug, logged)"),
        new(LedgerErrorCodes.PackageInvalid, ErrorKind.Internal, "an audit package the service wrote does not read back (a bug, logged)"),
    ];

    private static readonly Dictionary<string, ErrorEntry> ByCode = Entries.ToDictionary(e => e.Code, StringComparer.Ordinal);

    /// <summary>The entry for a code; a code missing from the table is a bug and answers as one (fail closed).</summary>
    public static ErrorEntry Find(string code) =>
        ByCode.TryGetValue(code, out var entry) ? entry : new ErrorEntry(code, ErrorKind.Internal, "not catalogued");

    public static bool Contains(string code) => ByCode.ContainsKey(code);

    public static int HttpStatus(string code) => Find(code).HttpStatus;

    public static StatusCode GrpcStatus(string code) => Find(code).GrpcStatus;

    /// <summary>The kind as a label value (metrics): <c>bad_request</c>, <c>refused</c>, <c>not_found</c>, …</summary>
    public static string KindName(ErrorKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static int HttpStatus(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => 400,
        ErrorKind.Unauthenticated => 401,
        ErrorKind.Forbidden or ErrorKind.Refused => 403,
        ErrorKind.NotFound => 404,
        ErrorKind.MethodNotAllowed => 405,
        ErrorKind.Conflict or ErrorKind.Duplicate or ErrorKind.StateConflict => 409,
        ErrorKind.TooLarge => 413,
        ErrorKind.UriTooLong => 414,
        ErrorKind.UnsupportedMediaType => 415,
        ErrorKind.Unprocessable => 422,
        ErrorKind.HeadersTooLarge => 431,
        ErrorKind.Unavailable => 503,
        _ => 500,
    };

    public static StatusCode GrpcStatus(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest or ErrorKind.Unprocessable or ErrorKind.UriTooLong or ErrorKind.UnsupportedMediaType => StatusCode.InvalidArgument,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ErrorKind.Forbidden or ErrorKind.Refused => StatusCode.PermissionDenied,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.MethodNotAllowed => StatusCode.Unimplemented,
        ErrorKind.Conflict => StatusCode.Aborted,
        ErrorKind.Duplicate => StatusCode.AlreadyExists,
        ErrorKind.StateConflict => StatusCode.FailedPrecondition,
        ErrorKind.TooLarge or ErrorKind.HeadersTooLarge => StatusCode.ResourceExhausted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    /// <summary>The code for a status the web server or the framework answered without one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ErrorCodes.BadRequest,
        401 => ErrorCodes.Unauthenticated,
        403 => DomainCodes.Forbidden,
        404 => DomainCodes.NotFound,
        405 => ErrorCodes.MethodNotAllowed,
        413 => ErrorCodes.PayloadTooLarge,
        414 => ErrorCodes.UriTooLong,
        415 => ErrorCodes.UnsupportedMediaType,
        431 => ErrorCodes.HeadersTooLarge,
        _ => ErrorCodes.Internal,
    };
}
