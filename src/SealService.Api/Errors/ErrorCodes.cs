namespace SealService.Api.Errors;

/// <summary>The transport's own codes (the domain, ledger and PDF libraries name theirs); all are in <see cref="ErrorCatalog"/>.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string InvalidJson = "INVALID_JSON";
    public const string BadRequest = "BAD_REQUEST";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UriTooLong = "URI_TOO_LONG";
    public const string HeadersTooLarge = "HEADERS_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string Internal = "INTERNAL_ERROR";

    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string TokenInvalid = "TOKEN_INVALID";
    public const string TokenExpired = "TOKEN_EXPIRED";
    public const string TokenNotYetValid = "TOKEN_NOT_YET_VALID";
    public const string TokenInvalidIssuer = "TOKEN_INVALID_ISSUER";
    public const string TokenInvalidAudience = "TOKEN_INVALID_AUDIENCE";
    public const string TokenInvalidSignature = "TOKEN_INVALID_SIGNATURE";
    public const string TokenInvalidAlgorithm = "TOKEN_INVALID_ALGORITHM";
    public const string TokenUnsigned = "TOKEN_UNSIGNED";
    public const string TokenClaimsInvalid = "TOKEN_CLAIMS_INVALID";

    /// <summary>A readable message for codes whose response is written without one (auth, routing).</summary>
    public static string? Describe(string code) => code switch
    {
        Unauthenticated => "A bearer token is required.",
        TokenInvalid => "The bearer token is not a valid JWT.",
        TokenExpired => "The bearer token has expired.",
        TokenNotYetValid => "The bearer token is not valid yet.",
        TokenInvalidIssuer => "The bearer token was issued by an issuer this service does not trust.",
        TokenInvalidAudience => "The bearer token is meant for another audience.",
        TokenInvalidSignature => "The bearer token's signature does not verify with a trusted key.",
        TokenInvalidAlgorithm => "The bearer token uses a signature algorithm this service does not accept.",
        TokenUnsigned => "Unsigned bearer tokens (alg none) are not accepted.",
        TokenClaimsInvalid => "The bearer token lacks the claims a caller needs (name, one known role, dept or township).",
        Forbidden => "Your role may not do this.",
        NotFound => "No such resource.",
        MethodNotAllowed => "This method is not allowed on this resource.",
        _ => null,
    };
}
