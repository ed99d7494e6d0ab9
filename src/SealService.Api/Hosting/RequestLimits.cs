using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SealService.Api.Errors;
using SealService.Api.Grpc;

namespace SealService.Api.Hosting;

/// <summary>
/// Kestrel answers an over-long request target or header block itself, with an empty body and no code. So Kestrel's
/// own limits sit at a ceiling (<see cref="CeilingFactor"/> × ours) and this middleware, first in the pipeline, answers
/// between our limits and that ceiling: 414 <c>URI_TOO_LONG</c> / 431 <c>HEADERS_TOO_LARGE</c> as ProblemDetails, or
/// as a gRPC status to a gRPC call. Beyond the ceiling Kestrel still answers bare (docs/api.md).
/// </summary>
public static class RequestLimits
{
    public const int CeilingFactor = 4;

    public static void ConfigureKestrel(KestrelServerOptions kestrel, SealServiceOptions options)
    {
        kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        kestrel.Limits.MaxRequestLineSize = options.MaxRequestTargetBytes * CeilingFactor;
        kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeaderBytes * CeilingFactor;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = Math.Max(kestrel.Limits.Http2.MaxRequestHeaderFieldSize, options.MaxRequestHeaderBytes * CeilingFactor);
    }

    public static IApplicationBuilder UseSealRequestLimits(this IApplicationBuilder app, SealServiceOptions options) =>
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0;
            var code = target > options.MaxRequestTargetBytes ? ErrorCodes.UriTooLong
                : HeaderBytes(context.Request.Headers) > options.MaxRequestHeaderBytes ? ErrorCodes.HeadersTooLarge
                : null;
            if (code is null)
            {
                await next(context);
                return;
            }

            var message = code == ErrorCodes.UriTooLong
                ? $"The request target is longer than {options.MaxRequestTargetBytes} bytes."
                : $"The request headers are larger than {options.MaxRequestHeaderBytes} bytes.";
            if (GrpcAuthorizationResultHandler.IsGrpc(context.Request))
            {
                GrpcErrors.WriteTrailersOnly(context.Response, code, message);
                return;
            }

            context.Response.StatusCode = ErrorCatalog.HttpStatus(code);
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = context.Response.StatusCode, Detail = message, Extensions = { ["code"] = code } },
            });
        });

    /// <summary>Names and values as sent, with the ": " and line end of each (what HTTP/1.1 puts on the wire).</summary>
    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
                total += name.Length + (value?.Length ?? 0) + 4;
        }

        return total;
    }
}
