using Microsoft.AspNetCore.Http.HttpResults;
using SealService.Api.Auth;
using SealService.Api.Endpoints.Contracts;
using SealService.Api.Errors;
using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Api.Endpoints;

public static class StampCheckEndpoints
{
    /// <summary>
    /// POST /stamp-checks: the delegation policy's decision as a dry run. 200 for allowed and refused alike (the
    /// refusal code is the policy's, e.g. SEAL_NOT_FOUND for an unknown seal id); 400 VALIDATION_FAILED for
    /// malformed input. Nothing is recorded.
    /// </summary>
    public static RouteGroupBuilder MapStampCheckEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/stamp-checks", async Task<Results<Ok<StampCheckView>, ProblemHttpResult>> (StampCheckBody body, HttpContext http, StampCheckService checks, TimeProvider clock, CancellationToken ct) =>
        {
            var v = new Validator()
                .Required("sealId", body.SealId, Ids.MaxLength)
                .Required("matterId", body.MatterId, Ids.MaxLength)
                .MaxLength("subjectTownshipId", body.SubjectTownshipId, Ids.MaxLength)
                .MaxLength("asTownshipId", body.AsTownshipId, Ids.MaxLength);
            if (!Wire.TryParseStep(body.Step, out var step))
                v.Add("step", "must be one of: accept, initial-check, review, re-check, decide, issue");
            var documentKind = BodyParsing.Enum<DocumentKind>(v, "documentKind", body.DocumentKind, required: false);
            v.ThrowIfAny();

            var caller = http.DomainCaller();
            if (body.AsTownshipId is { } asTownship)
            {
                if (caller.Role == CallerRole.TownshipClerk && caller.TownshipId != asTownship)
                    return ApiProblems.Problem(Errors.ErrorCodes.Forbidden, "a township clerk can only check as their own township");
                // Ask as a clerk of that township would: the decision they would get.
                caller = caller with { Role = CallerRole.TownshipClerk, TownshipId = asTownship, DepartmentId = null };
            }

            var at = body.At ?? clock.GetUtcNow();
            var decision = await checks.CheckAsync(
                new StampRequest(caller, body.SealId!, body.MatterId!, step, body.SubjectTownshipId, documentKind, at), ct);
            var basis = decision.Basis is { } b
                ? new BasisView(b.SealId, b.SealVersion, b.AgreementId, b.AgreementVersion, b.Mode is { } m ? Wire.Name(m) : null, b.ActingBodyId)
                : null;
            return TypedResults.Ok(new StampCheckView(decision.Allowed, decision.Code, decision.Message, basis, at));
        }).RequireAuthorization(AuthSetup.CanCheckStamps).WithTags("stamp-checks")
          .WithSummary("Dry-run the delegation policy for a stamp request");
        return api;
    }
}
