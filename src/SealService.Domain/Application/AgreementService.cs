using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>
/// Delegation agreements: create (draft), amend, file (备案), suspend, resume, revoke. Each write appends a version
/// with who/when/why; a change takes effect for the very next stamp decision.
/// </summary>
public sealed class AgreementService(IRegistryStore store, TimeProvider clock)
{
    public async Task<DelegationAgreement> GetAsync(string id, CancellationToken ct) =>
        await store.Agreements.GetAsync(id, ct) ?? throw DomainException.NotFound("agreement", id);

    public async Task<IReadOnlyList<DelegationAgreement>> HistoryAsync(string id, CancellationToken ct)
    {
        var history = await store.Agreements.GetHistoryAsync(id, ct);
        return history.Count == 0 ? throw DomainException.NotFound("agreement", id) : history;
    }

    /// <summary>The version in force at <paramref name="at"/>; NOT_FOUND if it did not exist then.</summary>
    public async Task<DelegationAgreement> GetAsOfAsync(string id, DateTimeOffset at, CancellationToken ct) =>
        await store.Agreements.GetAsOfAsync(id, at, ct) ?? throw DomainException.NotFound("agreement", id);

    public async Task<DelegationAgreement> CreateAsync(Caller caller, AgreementDraft draft, string? reason, CancellationToken ct)
    {
        Access.RequireManages(caller, draft.DepartmentId);
        var change = Access.Change(caller, clock.GetUtcNow(), reason);
        var id = string.IsNullOrEmpty(draft.Id) ? Ids.New("agr") : draft.Id;
        var agreement = new DelegationAgreement
        {
            Id = id,
            Version = 1,
            DepartmentId = draft.DepartmentId,
            TownshipId = draft.TownshipId,
            Title = draft.Title,
            Period = draft.Period,
            Status = AgreementStatus.Draft,
            Matters = draft.Matters,
            Change = change,
        };
        await ValidateAsync(store, agreement, ct);
        await store.Agreements.AppendAsync(agreement, ct);
        return agreement;
    }

    /// <summary>Amends title, period and matters (有进有出). Department and township cannot change.</summary>
    public async Task<DelegationAgreement> UpdateAsync(Caller caller, string id, int? expectedVersion, AgreementDraft draft, string? reason, CancellationToken ct)
    {
        var current = await Current(caller, id, expectedVersion, ct);
        if (draft.DepartmentId != current.DepartmentId || draft.TownshipId != current.TownshipId)
        {
            new Validator().Add("departmentId", "协议双方不能变更，请撤销后另立协议 (parties are fixed)").ThrowIfAny();
        }

        var edited = current with { Title = draft.Title, Period = draft.Period, Matters = draft.Matters };
        var next = current.Amend(edited, Access.Change(caller, clock.GetUtcNow(), reason));
        await ValidateAsync(store, next, ct);
        await store.Agreements.AppendAsync(next, ct);
        return next;
    }

    public async Task<DelegationAgreement> FileAsync(Caller caller, string id, string? filingNumber, DateOnly? filingDate, string? reason, CancellationToken ct)
    {
        var current = await Current(caller, id, null, ct);
        var now = clock.GetUtcNow();
        var v = new Validator().Required("filingNumber", filingNumber, 64);
        if (filingDate is null)
        {
            v.Add("filingDate", "必填 (required)");
        }
        else if (filingDate.Value > ChinaTime.DateOf(now))
        {
            v.Add("filingDate", "不能晚于今天 (cannot be in the future)");
        }

        v.ThrowIfAny();
        var next = current.File(filingNumber!, filingDate!.Value, Access.Change(caller, now, reason));
        await store.Agreements.AppendAsync(next, ct);
        return next;
    }

    public Task<DelegationAgreement> SuspendAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (a, c) => a.Suspend(c), ct);

    public Task<DelegationAgreement> ResumeAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (a, c) => a.Resume(c), ct);

    public Task<DelegationAgreement> RevokeAsync(Caller caller, string id, string? reason, CancellationToken ct) =>
        Transition(caller, id, reason, (a, c) => a.Revoke(c), ct);

    /// <summary>Checks an agreement against the registry. Public so importers and seeders validate the same way.</summary>
    public static async Task ValidateAsync(IRegistryStore store, DelegationAgreement a, CancellationToken ct)
    {
        var v = new Validator()
            .Id("id", a.Id)
            .Required("title", a.Title, Limits.Name)
            .Id("departmentId", a.DepartmentId)
            .Id("townshipId", a.TownshipId);
        if (!a.Period.IsValid)
        {
            v.Add("period", "结束日期早于开始日期 (period ends before it starts)");
        }

        if (a.Matters.Count is 0 or > Limits.MattersPerAgreement)
        {
            v.Add("matters", $"须列明 1..{Limits.MattersPerAgreement} 个事项 (1..{Limits.MattersPerAgreement} matters)");
        }

        v.ThrowIfAny();

        // No re-delegation (不得再委托): the delegating party is always a county department, never a township.
        var department = await OrganisationService.RequireExists(store.Departments, "departmentId", a.DepartmentId, ct);
        var township = await OrganisationService.RequireExists(store.Townships, "townshipId", a.TownshipId, ct);
        if (department.RegionId != township.RegionId)
        {
            v.Add("townshipId", "镇街与部门不属于同一县区 (township is in another region)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < a.Matters.Count; i++)
        {
            var item = a.Matters[i];
            var field = $"matters[{i}]";
            if (item.MatterId is null || !Ids.IsValid(item.MatterId) || !seen.Add(item.MatterId))
            {
                v.Add($"{field}.matterId", "无效或重复 (invalid or duplicate)");
                continue;
            }

            var matter = await store.Matters.GetAsync(item.MatterId, ct);
            if (matter is null)
            {
                v.Add($"{field}.matterId", $"{item.MatterId} 不存在 (does not exist)");
            }
            else if (matter.DepartmentId != a.DepartmentId)
            {
                v.Add($"{field}.matterId", "部门只能委托本部门的事项 (a department delegates only its own matters)");
            }

            if (!Enum.IsDefined(item.Mode))
            {
                v.Add($"{field}.mode", "未知方式 (unknown mode)");
            }
            else if (item.Steps is null || item.Steps.Count == 0 || item.Steps.Distinct().Count() != item.Steps.Count)
            {
                v.Add($"{field}.steps", "须列明不重复的环节 (list distinct steps)");
            }
            else if (item.Steps.Except(DelegationPolicy.StepsAllowedByMode(item.Mode)).Any())
            {
                v.Add($"{field}.steps", "环节超出该委托方式的范围 (step not possible in this mode)");
            }
        }

        v.ThrowIfAny();
    }

    private async Task<DelegationAgreement> Current(Caller caller, string id, int? expectedVersion, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        Access.RequireManages(caller, current.DepartmentId);
        if (expectedVersion is not null && expectedVersion != current.Version)
        {
            throw DomainException.Conflict($"协议 {id} 已被修改（当前第 {current.Version} 版）(stale version)");
        }

        return current;
    }

    private async Task<DelegationAgreement> Transition(
        Caller caller, string id, string? reason, Func<DelegationAgreement, ChangeInfo, DelegationAgreement> move, CancellationToken ct)
    {
        var current = await Current(caller, id, null, ct);
        var next = move(current, Access.Change(caller, clock.GetUtcNow(), reason));
        await store.Agreements.AppendAsync(next, ct);
        return next;
    }
}
