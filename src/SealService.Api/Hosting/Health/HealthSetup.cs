using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SealService.Api.Hosting.Health;

/// <summary>
/// Liveness (<c>/health/live</c>, like <c>/healthz</c>: the process answers) and readiness
/// (<c>/health/ready</c>: database writable, ledger writing, keys readable, the TSA answering when B-T is on;
/// degraded while a seal certificate ends within 30 days) as ASP.NET Core health checks; gRPC health
/// reports the same checks.
/// </summary>
public static class HealthSetup
{
    /// <summary>Tag of the checks a node must pass to take traffic.</summary>
    public const string Ready = "ready";

    /// <summary>Name of the ledger check (gRPC health reports sealservice.v1.Ledger from it alone).</summary>
    public const string LedgerCheck = "ledger";

    public static IServiceCollection AddSealHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection("SealService:Health"))
            .Validate(o => o.TsaProbeInterval >= TimeSpan.Zero && o.CertificateProbeInterval >= TimeSpan.Zero
                && o.TsaProbeTimeout > TimeSpan.Zero && o.CertificateWarning >= TimeSpan.Zero, "SealService:Health intervals must not be negative")
            .ValidateOnStart();
        // Singletons: these two keep their last probe (the framework would otherwise build a check per run).
        services.AddSingleton<TimeStampAuthorityCheck>();
        services.AddSingleton<SealCertificateExpiryCheck>();
        services.AddHealthChecks()
            .AddCheck<DatabaseWritableCheck>("database", tags: [Ready])
            .AddCheck<LedgerSequencingCheck>(LedgerCheck, tags: [Ready])
            .AddCheck<KeyStoreCheck>("keys", tags: [Ready])
            .AddCheck<TimeStampAuthorityCheck>("tsa", tags: [Ready])
            .AddCheck<SealCertificateExpiryCheck>("certificates", tags: [Ready]);
        if (configuration["Redis:Configuration"] is { Length: > 0 })
            services.AddHealthChecks().AddCheck<RegistryFeedCheck>("redis", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapSealHealth(this IEndpointRouteBuilder app)
    {
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync };
        app.MapHealthChecks("/health/live", live).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    /// <summary>{"status":"healthy|degraded|unhealthy","checks":[{"name","status","description","data"}]}; 503 when unhealthy.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = Name(report.Status),
            checks = report.Entries.Select(e => new { name = e.Key, status = Name(e.Value.Status), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    internal static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
