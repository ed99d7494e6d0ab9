namespace SealService.Api.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Liveness("ok")))
            .AllowAnonymous().WithTags("health");
        return app;
    }
}

/// <summary>The body of <c>/healthz</c>: the process answers (readiness is <c>/health/ready</c>).</summary>
public sealed record Liveness(string Status);
