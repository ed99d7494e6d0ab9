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

/// <summary>
/// Seals. Department seals are managed by registry-admin or an officer of the acting department; a township's
/// own seal by registry-admin only (the domain decides and answers 403 FORBIDDEN otherwise).
/// </summary>
public static class SealEndpoints
{
    public static RouteGroupBuilder MapSealEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/seals").WithTags("seals");

        group.MapGet("/", ([AsParameters] ListQuery query, IRegistryStore store, IOptions<SealServiceOptions> options, CancellationToken ct) =>
            Lists.Page(query, options, (f, p) => store.Seals.ListAsync(f, p, ct), SealView.From))
            .WithSummary("List seals (latest versions; filter by regionId, departmentId, townshipId, name, status)");

        group.MapGet("/{id}", async (string id, DateTimeOffset? at, SealRegistryService seals, CancellationToken ct) =>
            TypedResults.Ok(SealView.From(at is null ? await seals.GetAsync(id, ct) : await seals.GetAsOfAsync(id, at.Value, ct))))
            .WithSummary("One seal: the latest version, or the version in force at ?at=INSTANT");

        group.MapGet("/{id}/history", async (string id, SealRegistryService seals, CancellationToken ct) =>
            TypedResults.Ok((await seals.HistoryAsync(id, ct)).Select(SealView.From).ToList()))
            .WithSummary("Every version, oldest first, each with who, when and why");

        group.MapPost("/", async (SealBody body, HttpContext http, SealRegistryService seals, CancellationToken ct) =>
        {
            var created = await seals.CreateAsync(http.DomainCaller(), BodyParsing.Seal(body, null), body.Reason, ct);
            return TypedResults.Created($"/api/v1/seals/{created.Id}", SealView.From(created));
        }).RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.Conflict).WithSummary("Register a seal");

        group.MapPut("/{id}", async (string id, SealBody body, HttpContext http, SealRegistryService seals, CancellationToken ct) =>
            TypedResults.Ok(SealView.From(await seals.UpdateAsync(http.DomainCaller(), id, body.Version, BodyParsing.Seal(body, id), body.Reason, ct))))
            .RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.Conflict, Domain.Errors.ErrorCodes.InvalidStateTransition).WithSummary("Amend text, holder, validity, key reference (new version)");

        MapAction(group, "suspend", (s, c, id, r, ct) => s.SuspendAsync(c, id, r, ct));
        MapAction(group, "resume", (s, c, id, r, ct) => s.ResumeAsync(c, id, r, ct));
        MapAction(group, "revoke", (s, c, id, r, ct) => s.RevokeAsync(c, id, r, ct));
        MapAction(group, "retire", (s, c, id, r, ct) => s.RetireAsync(c, id, r, ct));
        return api;
    }

    private static void MapAction(
        RouteGroupBuilder group, string action, Func<SealRegistryService, Caller, string, string?, CancellationToken, Task<Seal>> move) =>
        group.MapPost($"/{{id}}/{action}", async (string id, ReasonBody body, HttpContext http, SealRegistryService seals, CancellationToken ct) =>
            TypedResults.Ok(SealView.From(await move(seals, http.DomainCaller(), id, body.Reason, ct))))
            .RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.InvalidStateTransition).WithSummary($"{action} the seal (reason required; effective immediately)");
}
