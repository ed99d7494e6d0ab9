using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>Seals: register, amend, suspend, resume, revoke, retire (封存). Every write appends a version.</summary>
public sealed class SealRegistryService(IRegistryStore store, TimeProvider clock)
{
    public const int TextMax = 100;
    public const int KeyRefMax = 200;

    public async Task<Seal> GetAsync(string id, CancellationToken ct) =>
        await store.Seals.GetAsync(id, ct) ?? throw DomainException.NotFound("seal", id);

    public async Task<IReadOnlyList<Seal>> HistoryAsync(string id, CancellationToken ct)
    {
        var history = await store.Seals.GetHistoryAsync(id, ct);
        return history.Count == 0 ? throw DomainException.NotFound("seal", id) : history;
    }

    public async Task<Seal> GetAsOfAsync(string id, DateTimeOffset at, CancellationToken ct) =>
        await store.Seals.GetAsOfAsync(id, at, ct) ?? throw DomainException.NotFound("seal", id);

    public async Task<Seal> CreateAsync(Caller caller, SealDraft draft, string? reason, CancellationToken ct)
    {
        var id = string.IsNullOrEmpty(draft.Id) ? Ids.New("seal") : draft.Id;
        var seal = FromDraft(draft, id, 1, SealStatus.Active, Access.Change(caller, clock.GetUtcNow(), reason));
        Access.RequireManagesSeal(caller, seal);
        await ValidateAsync(store, seal, ct);
        await store.Seals.AppendAsync(seal, ct);
        return seal;
    }

    /// <summary>Amends text, holder, validity, key reference. The kind cannot change.</summary>
    public async Task<Seal> UpdateAsync(Caller caller, string id, int? expectedVersion, SealDraft draft, string? reason, CancellationToken ct)
    {
        var current = await Current(caller, id, expectedVersion, ct);
        if (draft.Kind != current.Kind || draft.ActingBodyId != current.ActingBodyId)
        {
            new Validator().Add("kind", "印章类型和所属主体不能变更，请另行登记 (kind and acting body are fixed)").ThrowIfAny();
        }

        var change = Access.Change(caller, clock.GetUtcNow(), reason);
        var next = current.Amend(FromDraft(draft, id, current.Version, current.Status, change), change);
        await ValidateAsync(store, next, ct);
        await store.Seals.AppendAsync(next, ct);
        return next;
    }

    public Task<Seal> SuspendAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (s, c) => s.Suspend(c), ct);

    public Task<Seal> ResumeAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (s, c) => s.Resume(c), ct);

    public Task<Seal> RevokeAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (s, c) => s.Revoke(c), ct);

    public Task<Seal> RetireAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (s, c) => s.Retire(c), ct);

    public static async Task ValidateAsync(IRegistryStore store, Seal seal, CancellationToken ct)
    {
        var v = new Validator()
            .Id("id", seal.Id)
            .Required("text", seal.Text, TextMax)
            .Required("keyRef", seal.KeyRef, KeyRefMax)
            .MaxLength("arcText", seal.ArcText, TextMax)
            .MaxLength("purposeText", seal.PurposeText, TextMax)
            .Id("actingBodyId", seal.ActingBodyId);
        if (!seal.Validity.IsValid)
        {
            v.Add("validity", "结束日期早于开始日期 (period ends before it starts)");
        }

        if (!Enum.IsDefined(seal.Kind))
        {
            v.Add("kind", "未知类型 (unknown kind)");
        }

        v.ThrowIfAny();

        switch (seal.Kind)
        {
            case SealKind.DepartmentNo2:
                var dept = await OrganisationService.RequireExists(store.Departments, "actingBodyId", seal.ActingBodyId, ct);
                var holder = await RequireHolder(store, seal, ct);
                if (holder.RegionId != dept.RegionId)
                {
                    v.Add("holdingTownshipId", "持章镇街与部门不属于同一县区 (holder is in another region)");
                }

                break;
            case SealKind.TownshipOwn:
                await OrganisationService.RequireExists(store.Townships, "actingBodyId", seal.ActingBodyId, ct);
                if (seal.HoldingTownshipId != seal.ActingBodyId)
                {
                    v.Add("holdingTownshipId", "镇街自有印章须由本镇街持有 (a township's own seal is held by that township)");
                }

                break;
            default:
                await OrganisationService.RequireExists(store.Departments, "actingBodyId", seal.ActingBodyId, ct);
                if (seal.HoldingTownshipId is not null)
                {
                    v.Add("holdingTownshipId", "部门自有印章不由镇街持有 (a department's own seal has no holding township)");
                }

                break;
        }

        v.ThrowIfAny();
    }

    private static async Task<Township> RequireHolder(IRegistryStore store, Seal seal, CancellationToken ct)
    {
        if (seal.HoldingTownshipId is null)
        {
            new Validator().Add("holdingTownshipId", "2号章须指定持章镇街 (a No. 2 seal needs a holding township)").ThrowIfAny();
        }

        return await OrganisationService.RequireExists(store.Townships, "holdingTownshipId", seal.HoldingTownshipId!, ct);
    }

    private static Seal FromDraft(SealDraft d, string id, int version, SealStatus status, ChangeInfo change) => new()
    {
        Id = id,
        Version = version,
        Text = d.Text,
        Kind = d.Kind,
        ActingBodyId = d.ActingBodyId,
        HoldingTownshipId = d.HoldingTownshipId,
        Validity = d.Validity,
        KeyRef = string.IsNullOrEmpty(d.KeyRef) ? Seal.DefaultKeyRef(id) : d.KeyRef,
        ArcText = d.ArcText,
        PurposeText = d.PurposeText,
        SignatureLevel = d.SignatureLevel,
        Status = status,
        Change = change,
    };

    private async Task<Seal> Current(Caller caller, string id, int? expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        Access.RequireManagesSeal(caller, current);
        if (expectedVersion is not null && expectedVersion != current.Version)
        {
            throw DomainException.Conflict($"印章 {id} 已被修改（当前第 {current.Version} 版）(stale version)");
        }

        return current;
    }

    private async Task<Seal> Transition(Caller caller, string id, string? reason, Func<Seal, ChangeInfo, Seal> move, CancellationToken ct)
    {
        var current = await Current(caller, id, null, ct);
        var next = move(current, Access.Change(caller, clock.GetUtcNow(), reason));
        await store.Seals.AppendAsync(next, ct);
        return next;
    }
}
