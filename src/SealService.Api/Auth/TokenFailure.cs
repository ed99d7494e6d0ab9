using Microsoft.IdentityModel.Tokens;
using SealService.Api.Errors;

namespace SealService.Api.Auth;

/// <summary>Maps a token validation failure to a stable code. Looks at the token header only, never logs it.</summary>
internal static class TokenFailure
{
    public static string Classify(Exception exception, HttpRequest request) => exception switch
    {
        SecurityTokenExpiredException => ErrorCodes.TokenExpired,
        SecurityTokenNotYetValidException => ErrorCodes.TokenNotYetValid,
        SecurityTokenInvalidIssuerException => ErrorCodes.TokenInvalidIssuer,
        SecurityTokenInvalidAudienceException => ErrorCodes.TokenInvalidAudience,
        SecurityTokenInvalidAlgorithmException => IsUnsigned(request) ? ErrorCodes.TokenUnsigned : ErrorCodes.TokenInvalidAlgorithm,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            IsUnsigned(request) ? ErrorCodes.TokenUnsigned : ErrorCodes.TokenInvalidSignature,
        _ => ErrorCodes.TokenInvalid,
    };

    /// <summary>A compact JWS with an empty signature part is an unsigned ("alg": "none") token.</summary>
    private static bool IsUnsigned(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var token = header.AsSpan(prefix.Length).Trim();
        return token.Count('.') == 2 && token[^1] == '.';
    }
}
