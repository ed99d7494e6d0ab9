using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SealService.Api.Grpc;

/// <summary>gRPC: the sealservice.v1.Stamping service, health, reflection, error mapping, and the HTTP/2 endpoint.</summary>
public static class GrpcSetup
{
    /// <summary>Name the health service reports the stamping service under.</summary>
    public const string StampingServiceName = "sealservice.v1.Stamping";

    public static IServiceCollection AddSealGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ErrorInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddSingleton<HealthServiceImpl>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();

        services.AddSingleton<SealListeners>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, SealListeners.Setup>();
        services.AddTransient<IStartupFilter, SealListeners.AddressFilter>();
        return services;
    }

    /// <summary>
    /// Maps the services. Call after the registry is initialised: health answers SERVING once the host has started
    /// (which is after initialisation) and NOT_SERVING from the moment it begins to stop.
    /// </summary>
    public static WebApplication MapSealGrpc(this WebApplication app)
    {
        app.MapGrpcService<StampingGrpcService>();
        app.MapGrpcService<HealthServiceImpl>().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();

        var health = app.Services.GetRequiredService<HealthServiceImpl>();
        SetHealth(health, HealthCheckResponse.Types.ServingStatus.NotServing);
        app.Lifetime.ApplicationStarted.Register(() => SetHealth(health, HealthCheckResponse.Types.ServingStatus.Serving));
        app.Lifetime.ApplicationStopping.Register(() => SetHealth(health, HealthCheckResponse.Types.ServingStatus.NotServing));
        return app;
    }

    private static void SetHealth(HealthServiceImpl health, HealthCheckResponse.Types.ServingStatus status)
    {
        health.SetStatus("", status);
        health.SetStatus(StampingServiceName, status);
    }
}
