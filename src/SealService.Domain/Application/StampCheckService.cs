using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>Loads the registry as of the instant and runs <see cref="DelegationPolicy"/>. Used for dry runs and real stamps.</summary>
public sealed class StampCheckService(IRegistryStore store, TimeProvider clock)
{
    /// <summary>Decides now.</summary>
    public Task<PolicyDecision> CheckAsync(
        Caller caller, string sealId, string matterId, CaseStep step, string? subjectTownshipId, DocumentKind? documentKind, CancellationToken ct) =>
        CheckAsync(new StampRequest(caller, sealId, matterId, step, subjectTownshipId, documentKind, clock.GetUtcNow()), ct);

    /// <summary>Decides at <see cref="StampRequest.At"/> (also answers "would this have been allowed at T").</summary>
    /// <remarks>Malformed ids (not registry ids, or longer than 64) are VALIDATION_FAILED, not a policy refusal.</remarks>
    public async Task<PolicyDecision> CheckAsync(StampRequest request, CancellationToken ct) => (await DecideAsync(request, ct)).Decision;

    /// <summary>The decision and the registry view it was taken on (the seal and matter as of the instant: what a stamp uses).</summary>
    public async Task<(PolicyDecision Decision, RegistrySnapshot View)> DecideAsync(StampRequest request, CancellationToken ct)
    {
        var v = new Validator().Id("sealId", request.SealId).Id("matterId", request.MatterId);
        if (request.SubjectTownshipId is not null)
        {
            v.Id("subjectTownshipId", request.SubjectTownshipId);
        }

        if (!Enum.IsDefined(request.Step))
        {
            v.Add("step", "未知环节 (unknown step)");
        }

        if (request.DocumentKind is { } kind && !Enum.IsDefined(kind))
        {
            v.Add("documentKind", "未知文书类型 (unknown document kind)");
        }

        v.ThrowIfAny();
        var view = await store.LoadStampViewAsync(request.SealId, request.MatterId, request.At, ct);
        return (DelegationPolicy.Evaluate(view, request), view);
    }
}
