using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Endpoints.Contracts;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Domain.Application;
using SealService.Domain.Ports;

namespace SealService.Api.Endpoints;

/// <summary>
/// Delegation agreements. Writes need registry-admin or a department-officer of the agreement's department
/// (the department check is the domain's; a foreign department gives 403 FORBIDDEN).
/// </summary>
public static class AgreementEndpoints
{
    public static RouteGroupBuilder MapAgreementEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agreements").WithTags("agreements");

        group.MapGet("/", ([AsParameters] ListQuery query, IRegistryStore store, IOptions<SealServiceOptions> options, TimeProvider clock, CancellationToken ct) =>
            Lists.Page(query, options, (f, p) => store.Agreements.ListAsync(f, p, ct), a => AgreementView.From(a, clock.GetUtcNow())))
            .WithSummary("List agreements (latest versions; filter by regionId, departmentId, townshipId, name, status)");

        group.MapGet("/{id}", async (string id, DateTimeOffset? at, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
        {
            var agreement = at is null ? await agreements.GetAsync(id, ct) : await agreements.GetAsOfAsync(id, at.Value, ct);
            return TypedResults.Ok(AgreementView.From(agreement, at ?? clock.GetUtcNow()));
        }).WithSummary("One agreement: the latest version, or the version in force at ?at=INSTANT");

        group.MapGet("/{id}/history", async (string id, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok((await agreements.HistoryAsync(id, ct)).Select(a => AgreementView.From(a, a.Change.At)).ToList()))
            .WithSummary("Every version, oldest first, each with who, when and why");

        group.MapPost("/", async (AgreementBody body, HttpContext http, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
        {
            var created = await agreements.CreateAsync(http.DomainCaller(), BodyParsing.Agreement(body, null), body.Reason, ct);
            return TypedResults.Created($"/api/v1/agreements/{created.Id}", AgreementView.From(created, clock.GetUtcNow()));
        }).RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.Conflict).WithSummary("Create a draft agreement (registry-admin, or officer of its department)");

        group.MapPut("/{id}", async (string id, AgreementBody body, HttpContext http, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
        {
            var draft = BodyParsing.Agreement(body, id);
            var next = await agreements.UpdateAsync(http.DomainCaller(), id, body.Version, draft, body.Reason, ct);
            return TypedResults.Ok(AgreementView.From(next, clock.GetUtcNow()));
        }).RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.Conflict, Domain.Errors.ErrorCodes.InvalidStateTransition).WithSummary("Amend title, period and matters (new version)");

        group.MapPost("/{id}/file", async (string id, FileAgreementBody body, HttpContext http, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(AgreementView.From(
                await agreements.FileAsync(http.DomainCaller(), id, body.FilingNumber, body.FilingDate, body.Reason, ct), clock.GetUtcNow())))
            .RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.Conflict, Domain.Errors.ErrorCodes.InvalidStateTransition).WithSummary("备案: record the filing; draft → effective");

        MapAction(group, "suspend", (a, c, id, r, ct) => a.SuspendAsync(c, id, r, ct));
        MapAction(group, "resume", (a, c, id, r, ct) => a.ResumeAsync(c, id, r, ct));
        MapAction(group, "revoke", (a, c, id, r, ct) => a.RevokeAsync(c, id, r, ct));
        return api;
    }

    private static void MapAction(
        RouteGroupBuilder group, string action,
        Func<AgreementService, Domain.Policy.Caller, string, string?, CancellationToken, Task<Domain.Model.DelegationAgreement>> move) =>
        group.MapPost($"/{{id}}/{action}", async (string id, ReasonBody body, HttpContext http, AgreementService agreements, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(AgreementView.From(await move(agreements, http.DomainCaller(), id, body.Reason, ct), clock.GetUtcNow())))
            .RequireAuthorization(AuthSetup.CanManage).ProducesErrors(Domain.Errors.ErrorCodes.InvalidStateTransition).WithSummary($"{action} the agreement (reason required; effective immediately)");
}
