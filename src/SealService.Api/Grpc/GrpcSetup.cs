using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using SealService.Api.Stamping;
using SealService.Domain.Stamping;

namespace SealService.Api.Grpc;

/// <summary>gRPC: the sealservice.v1.Stamping service, health, reflection, error mapping, and the HTTP/2 endpoint.</summary>
public static class GrpcSetup
{
    /// <summary>Name the health service reports the stamping service under.</summary>
    public const string StampingServiceName = "sealservice.v1.Stamping";

    /// <summary>Name the health service reports the ledger service under (SERVING only while a ledger is open).</summary>
    public const string LedgerServiceName = "sealservice.v1.Ledger";

    /// <summary>Room beside the PDF in one unary Stamp message (ids, fields, placement).</summary>
    public const int UnaryOverheadBytes = 1024 * 1024;

    public static IServiceCollection AddSealGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ErrorInterceptor>();
        });
        // A unary Stamp carries the whole PDF: allow the upload limit plus room for the rest of the request. Other
        // services keep gRPC's 4 MB default. StampUpload streams pieces of at most 1 MiB instead.
        services.AddOptions<GrpcServiceOptions<StampingGrpcService>>().Configure<IOptions<StampingOptions>>((grpc, stamping) =>
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, stamping.Value.MaxUploadBytes + UnaryOverheadBytes));
        services.AddGrpcReflection();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();

        services.AddTransient<IStartupFilter, GrpcBodyLimit>();
        services.AddSingleton<SealListeners>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, SealListeners.Setup>();
        services.AddTransient<IStartupFilter, SealListeners.AddressFilter>();
        return services;
    }

    /// <summary>Maps the services; gRPC health answers from the readiness checks (see <see cref="GrpcHealthService"/>).</summary>
    public static WebApplication MapSealGrpc(this WebApplication app)
    {
        app.MapGrpcService<StampingGrpcService>();
        app.MapGrpcService<Ledger.LedgerGrpcService>();
        app.MapGrpcService<Verification.VerificationGrpcService>();
        app.MapGrpcService<GrpcHealthService>().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }
}

/// <summary>
/// Kestrel's request-body limit (SealService:MaxRequestBodyBytes, 1 MiB) is for JSON; REST uploads lift it per request.
/// A gRPC call's body is its messages, which gRPC bounds itself (message size; the upload limit while spooling), so for
/// gRPC requests the body may be as large as the largest upload plus framing — else a 2 MiB unary Stamp ends in UNKNOWN.
/// </summary>
internal sealed class GrpcBodyLimit(IOptions<StampingOptions> stamping, IOptions<Verification.VerificationOptions> verification) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var largest = Math.Max(stamping.Value.MaxUploadBytes, verification.Value.MaxUploadBytes);
        var ceiling = largest + (largest / 64) + GrpcSetup.UnaryOverheadBytes;
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
                && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = ceiling;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
