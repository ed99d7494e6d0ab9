using SealService.Api.Auth;

namespace SealService.Api.Endpoints;

public static class CallerEndpoints
{
    /// <summary>GET /api/v1/me: who the token says the caller is (handy to check a token).</summary>
    public static RouteGroupBuilder MapCallerEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext context) => TypedResults.Ok(ApiCaller.Of(context)))
            .WithTags("auth").WithSummary("The caller described by the bearer token");
        return api;
    }
}
