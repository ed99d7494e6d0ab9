using SealService.Api.Endpoints.Contracts;
using SealService.Domain.Application;

namespace SealService.Api.Endpoints;

public static class TownshipListEndpoints
{
    /// <summary>GET /townships/{id}/matters?at=DATE: 一镇街一清单, what the township's effective agreements cover on that date.</summary>
    public static RouteGroupBuilder MapTownshipListEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/townships/{id}/matters", async (string id, DateOnly? at, TownshipListService lists, CancellationToken ct) =>
            TypedResults.Ok(TownshipListView.From(await lists.GetAsync(id, at, ct))))
            .WithTags("townships").WithSummary("The township's list of delegated matters at a date (CST; default today)");
        return api;
    }
}
