using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using SealService.Api.Errors;

namespace SealService.Api.Grpc;

/// <summary>
/// For gRPC requests, answers a failed authorization as gRPC does (HTTP 200, trailers-only response) with
/// UNAUTHENTICATED or PERMISSION_DENIED and the same stable code REST puts in ProblemDetails (e.g. TOKEN_EXPIRED).
/// Every other request goes to the framework's default handler (challenge/forbid → 401/403 ProblemDetails).
/// </summary>
internal sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !IsGrpc(context.Request))
            return _default.HandleAsync(next, context, policy, authorizeResult);

        var code = authorizeResult.Challenged ? ApiProblems.GetCode(context) ?? ErrorCodes.Unauthenticated : ErrorCodes.Forbidden;
        GrpcErrors.WriteTrailersOnly(context.Response, code, ErrorCodes.Describe(code) ?? "Not allowed.");
        return Task.CompletedTask;
    }

    /// <summary>
    /// grpc-message as the gRPC HTTP/2 spec writes it: printable ASCII except '%' as is, every other UTF-8 byte as %XX
    /// (not URI escaping, which also encodes ':' and spaces that clients then show as "%3A").
    /// </summary>
    internal static string PercentEncode(string message)
    {
        var text = new System.Text.StringBuilder(message.Length);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
                text.Append((char)b);
            else
                text.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }

        return text.ToString();
    }

    internal static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
