using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace SealService.Api.Hosting.Metrics;

/// <summary>OpenTelemetry metrics: the service's meter with ASP.NET Core's and Kestrel's, scraped by Prometheus at /metrics.</summary>
public static class MetricsSetup
{
    public const string ScrapePath = "/metrics";

    public static IServiceCollection AddSealMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<SealMetrics>();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("sealservice")).WithMetrics(metrics => metrics
            .AddMeter(SealMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // No cached scrape (the exporter's default is 300 ms): a scrape right after a stamp shows it.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>No token: scrapers carry none, and the figures name no person (codes and counts only).</summary>
    public static IEndpointRouteBuilder MapSealMetrics(this IEndpointRouteBuilder app)
    {
        _ = app.ServiceProvider.GetRequiredService<SealMetrics>(); // its gauges exist from the start, not from the first stamp
        app.MapPrometheusScrapingEndpoint(ScrapePath).AllowAnonymous();
        return app;
    }
}
