using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Endpoints.Contracts;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Api.Endpoints;

/// <summary>Regions, departments, townships, village stations and matters: read by any role, written by registry-admin.</summary>
public static class OrganisationEndpoints
{
    public static RouteGroupBuilder MapOrganisationEndpoints(this RouteGroupBuilder api)
    {
        MapPlain<Region, RegionBody>(api, "regions", "region", s => s.Regions, r => r.Id,
            (b, id) => new Region(id ?? b.Id ?? "", b.Name ?? "", b.City),
            (svc, c, e, create, ct) => svc.SaveRegionAsync(c, e, create, ct));
        MapPlain<Department, DepartmentBody>(api, "departments", "department", s => s.Departments, d => d.Id,
            (b, id) => new Department(id ?? b.Id ?? "", b.RegionId ?? "", b.Name ?? ""),
            (svc, c, e, create, ct) => svc.SaveDepartmentAsync(c, e, create, ct));
        MapPlain<Township, TownshipBody>(api, "townships", "township", s => s.Townships, t => t.Id,
            BodyParsing.Township,
            (svc, c, e, create, ct) => svc.SaveTownshipAsync(c, e, create, ct));
        MapPlain<VillageStation, VillageStationBody>(api, "village-stations", "village station", s => s.VillageStations, v => v.Id,
            (b, id) => new VillageStation(id ?? b.Id ?? "", b.TownshipId ?? "", b.Name ?? ""),
            (svc, c, e, create, ct) => svc.SaveVillageStationAsync(c, e, create, ct));
        MapPlain<Matter, MatterBody>(api, "matters", "matter", s => s.Matters, m => m.Id,
            BodyParsing.Matter,
            (svc, c, e, create, ct) => svc.SaveMatterAsync(c, e, create, ct));
        return api;
    }

    // Generic handlers cannot declare the body non-nullable, so an empty body arrives as null.
    private static IResult MissingBody() =>
        ApiProblems.Problem(ErrorCodes.InvalidJson, "A JSON request body is required.");

    private delegate Task<T> Save<T>(OrganisationService service, Caller caller, T entity, bool create, CancellationToken ct);

    private static void MapPlain<T, TBody>(
        RouteGroupBuilder api, string path, string kind, Func<IRegistryStore, IEntityStore<T>> entities, Func<T, string> idOf,
        Func<TBody, string?, T> build, Save<T> save)
        where T : class
    {
        var group = api.MapGroup($"/{path}").WithTags(path);

        // Handlers are built as Delegate values first: the route-handler analyzer cannot follow generic lambdas.
        Delegate list = ([AsParameters] ListQuery query, IRegistryStore store, IOptions<SealServiceOptions> options, CancellationToken ct) =>
            Lists.Page(query, options, (f, p) => entities(store).ListAsync(f, p, ct), e => e);
        Delegate get = async (string id, IRegistryStore store, CancellationToken ct) =>
            await entities(store).GetAsync(id, ct) is { } found ? Results.Ok(found) : ApiProblems.NotFound(kind, id);
        Delegate create = async (TBody? body, HttpContext http, OrganisationService service, CancellationToken ct) =>
        {
            if (body is null)
                return MissingBody();
            var saved = await save(service, http.DomainCaller(), build(body, null), true, ct);
            return Results.Created($"/api/v1/{path}/{idOf(saved)}", saved);
        };
        Delegate replace = async (string id, TBody? body, HttpContext http, OrganisationService service, CancellationToken ct) =>
            body is null ? MissingBody() : Results.Ok(await save(service, http.DomainCaller(), build(body, id), false, ct));

        // Handlers generic over the entity kind: the request delegate generator cannot bind them, so these few are
        // built at run time (RDG002) while every other endpoint is generated at compile time.
#pragma warning disable RDG002
        group.MapGet("/", list).WithSummary($"List {path} (filter by regionId, departmentId, townshipId, name; page)");
        group.MapGet("/{id}", get).WithSummary($"One {kind}");
        group.MapPost("/", create).RequireAuthorization(AuthSetup.CanAdminister).ProducesErrors(Domain.Errors.ErrorCodes.Conflict).WithSummary($"Create a {kind} (registry-admin)");
        group.MapPut("/{id}", replace).RequireAuthorization(AuthSetup.CanAdminister).ProducesErrors(Domain.Errors.ErrorCodes.Conflict).WithSummary($"Replace a {kind} (registry-admin)");
#pragma warning restore RDG002
    }
}
