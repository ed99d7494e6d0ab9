using SealService.Domain.Model;
using static SealService.Domain.Policy.RefusalCodes;

namespace SealService.Domain.Policy;

/// <summary>
/// Decides one stamping request against the registry as it stood at the request's instant.
/// Pure: no I/O, no clock. Checks run in the fixed order of <see cref="RefusalCodes.All"/>, so a request
/// that breaks several rules always gets the same (first) code.
/// </summary>
public static class DelegationPolicy
{
    public static PolicyDecision Evaluate(IRegistryView view, StampRequest request)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);

        var seal = view.FindSeal(request.SealId);
        if (seal is null)
        {
            return Refuse(SealNotFound, $"印章 {request.SealId} 未登记 (seal not registered)");
        }

        if (!CallerHolds(request.Caller, seal))
        {
            return Refuse(SealNotHeldByCaller, $"{request.Caller.PersonName} 无权使用印章「{seal.Text}」(the caller does not hold this seal)");
        }

        var sealRefusal = CheckSealState(seal, request.At);
        if (sealRefusal is not null)
        {
            return sealRefusal;
        }

        var matter = view.FindMatter(request.MatterId);
        if (matter is null)
        {
            return Refuse(MatterNotFound, $"事项 {request.MatterId} 不在目录中 (matter not in the catalogue)");
        }

        if (seal.Kind == SealKind.DepartmentOwn)
        {
            // A department stamps its own matters with its own seal; no delegation is involved.
            if (matter.DepartmentId != seal.ActingBodyId)
            {
                return Refuse(SealWrongOwner, $"事项「{matter.Name}」不属于印章「{seal.Text}」所属部门 (matter belongs to another department)");
            }

            if (request.DocumentKind is { } ownKind && !DocumentFitsStep(ownKind, request.Step))
            {
                return Refuse(DocumentKindNotAllowed, KindStepMessage(ownKind, request.Step));
            }

            return PolicyDecision.Allow(
                new PolicyBasis(seal.Id, seal.Version, null, null, null, seal.ActingBodyId),
                $"部门以自有印章「{seal.Text}」办理本部门事项 (department's own seal, own matter)");
        }

        if (request.SubjectTownshipId is null || request.SubjectTownshipId != seal.HoldingTownshipId)
        {
            return Refuse(CrossTownship, "跨镇街事务的审批权限仍由原区级部门承担：办件不属于持章镇街 (subject lies outside the seal's township)");
        }

        PolicyDecision? best = null;
        var bestRank = -1;
        foreach (var agreement in view.AgreementsCovering(seal.HoldingTownshipId, matter.Id).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var decision = EvaluateAgreement(agreement, seal, matter, request);
            if (decision.Allowed)
            {
                return decision;
            }

            // Keep the refusal that got furthest through the checks; ties go to the lowest agreement id.
            var rank = IndexOf(decision.Code!);
            if (rank > bestRank)
            {
                best = decision;
                bestRank = rank;
            }
        }

        return best ?? Refuse(MatterNotDelegated, $"事项「{matter.Name}」未委托给持章镇街 (matter not delegated to this township)");
    }

    /// <summary>Steps a mode can ever allow; the agreement may allow fewer.</summary>
    public static IReadOnlyList<CaseStep> StepsAllowedByMode(DelegationMode mode) => mode switch
    {
        DelegationMode.EntrustedAcceptance => [CaseStep.Accept, CaseStep.InitialCheck],
        DelegationMode.ReviewDevolved => [CaseStep.Accept, CaseStep.InitialCheck, CaseStep.Review, CaseStep.ReCheck],
        _ => [CaseStep.Accept, CaseStep.InitialCheck, CaseStep.Review, CaseStep.ReCheck, CaseStep.Decide, CaseStep.Issue],
    };

    /// <summary>Document kinds a mode lets the township issue under its seal.</summary>
    public static bool DocumentFitsMode(DocumentKind kind, DelegationMode mode) => mode switch
    {
        DelegationMode.EntrustedAcceptance => kind is DocumentKind.AcceptanceReceipt,
        DelegationMode.ReviewDevolved => kind is DocumentKind.AcceptanceReceipt or DocumentKind.ReviewOpinion,
        _ => true,
    };

    /// <summary>
    /// The step a document kind records: a receipt is the acceptance, an opinion a check or review, a decision the
    /// decision, a certificate or certification the decision or its issue. Other documents may accompany any step.
    /// </summary>
    public static bool DocumentFitsStep(DocumentKind kind, CaseStep step) => kind switch
    {
        DocumentKind.AcceptanceReceipt => step is CaseStep.Accept,
        DocumentKind.ReviewOpinion => step is CaseStep.InitialCheck or CaseStep.Review or CaseStep.ReCheck,
        DocumentKind.Decision => step is CaseStep.Decide,
        DocumentKind.Certificate or DocumentKind.Certification => step is CaseStep.Decide or CaseStep.Issue,
        _ => true,
    };

    /// <summary>Village stations pre-check or help file only (初审 / 帮办代办).</summary>
    public static bool VillageStationMay(CaseStep step) => step is CaseStep.Accept or CaseStep.InitialCheck;

    private static PolicyDecision EvaluateAgreement(DelegationAgreement agreement, Seal seal, Matter matter, StampRequest request)
    {
        var state = agreement.StateAt(request.At);
        switch (state)
        {
            case AgreementState.Revoked:
                return Refuse(AgreementRevoked, $"委托协议 {agreement.Id} 已撤销 (agreement revoked)");
            case AgreementState.Suspended:
                return Refuse(AgreementSuspended, $"委托协议 {agreement.Id} 已暂停 (agreement suspended)");
            case AgreementState.Draft:
                return Refuse(AgreementNotFiled, $"委托协议 {agreement.Id} 尚未备案生效 (agreement not filed)");
            case AgreementState.NotYetEffective:
                return Refuse(AgreementNotYetEffective, $"委托协议 {agreement.Id} 自 {agreement.Period.From:yyyy-MM-dd} 起生效 (agreement not yet in force)");
            case AgreementState.Expired:
                return Refuse(AgreementExpired, $"委托协议 {agreement.Id} 已于 {agreement.Period.To:yyyy-MM-dd} 到期 (agreement expired)");
        }

        var item = agreement.FindMatter(matter.Id)!;
        if (!SealFitsMode(seal, agreement, item.Mode))
        {
            return Refuse(SealWrongOwner, WrongOwnerMessage(seal, item.Mode));
        }

        var step = request.Step;
        if (!StepsAllowedByMode(item.Mode).Contains(step) || !item.Steps.Contains(step))
        {
            return Refuse(StepNotAllowed, $"按委托协议 {agreement.Id}，镇街不能办理「{matter.Name}」的 {step.Name()} 环节 (step not allowed)");
        }

        if (request.Caller.VillageStationId is not null && !VillageStationMay(step))
        {
            return Refuse(StepNotAllowed, $"村（社区）便民服务站只能初审或帮办代办，不能 {step.Name()} (village stations never decide)");
        }

        if (request.DocumentKind is { } kind)
        {
            if (!DocumentFitsMode(kind, item.Mode))
            {
                return Refuse(DocumentKindNotAllowed, $"{ModeName(item.Mode)}方式下镇街不能出具{KindName(kind)} (document kind {Wire.Name(kind)} not allowed in this mode)");
            }

            if (!DocumentFitsStep(kind, step))
            {
                return Refuse(DocumentKindNotAllowed, KindStepMessage(kind, step));
            }
        }

        return PolicyDecision.Allow(
            new PolicyBasis(seal.Id, seal.Version, agreement.Id, agreement.Version, item.Mode, seal.ActingBodyId),
            $"依据委托协议 {agreement.Id} 第 {agreement.Version} 版（{ModeName(item.Mode)}）允许 {step.Name()} (allowed)");
    }

    private static bool CallerHolds(Caller caller, Seal seal) => caller.Role switch
    {
        CallerRole.TownshipClerk => seal.HoldingTownshipId is not null && caller.TownshipId == seal.HoldingTownshipId,
        CallerRole.DepartmentOfficer => seal.Kind == SealKind.DepartmentOwn && caller.DepartmentId == seal.ActingBodyId,
        _ => false, // administrators and auditors never stamp
    };

    private static PolicyDecision? CheckSealState(Seal seal, DateTimeOffset at) => seal.Status switch
    {
        SealStatus.Revoked => Refuse(SealRevoked, $"印章「{seal.Text}」已注销 (seal revoked)"),
        SealStatus.Retired => Refuse(SealRetired, $"印章「{seal.Text}」已封存停用 (seal retired)"),
        SealStatus.Suspended => Refuse(SealSuspended, $"印章「{seal.Text}」已暂停使用 (seal suspended)"),
        _ when !seal.Validity.Contains(ChinaTime.DateOf(at)) =>
            Refuse(SealExpired, $"印章「{seal.Text}」不在有效期 {seal.Validity} 内 (outside the seal's validity)"),
        _ => null,
    };

    private static bool SealFitsMode(Seal seal, DelegationAgreement agreement, DelegationMode mode)
    {
        var departmentNo2 = seal.Kind == SealKind.DepartmentNo2 && seal.ActingBodyId == agreement.DepartmentId;
        var townshipOwn = seal.Kind == SealKind.TownshipOwn && seal.ActingBodyId == agreement.TownshipId;
        return mode switch
        {
            DelegationMode.EntrustedHandling => departmentNo2,
            DelegationMode.EntrustedAcceptance => departmentNo2 || townshipOwn, // receipt only
            _ => townshipOwn, // DirectDevolution, ReviewDevolved: in the township's own name
        };
    }

    private static string KindStepMessage(DocumentKind kind, CaseStep step) =>
        $"{KindName(kind)}不是 {step.Name()} 环节出具的文书 (document kind {Wire.Name(kind)} does not belong to step {step.Name()})";

    /// <summary>The document kind's Chinese name, for messages people read.</summary>
    public static string KindName(DocumentKind kind) => kind switch
    {
        DocumentKind.AcceptanceReceipt => "受理通知书",
        DocumentKind.ReviewOpinion => "审核意见",
        DocumentKind.Decision => "决定书",
        DocumentKind.Certificate => "证照",
        DocumentKind.Certification => "证明",
        _ => "其他文书",
    };

    private static string WrongOwnerMessage(Seal seal, DelegationMode mode) => mode switch
    {
        DelegationMode.EntrustedHandling => $"委托办理须使用委托部门的审批专用章（2号章），不能使用「{seal.Text}」(entrusted handling needs the department's No. 2 seal)",
        DelegationMode.EntrustedAcceptance => $"「{seal.Text}」不是该协议部门或镇街的印章 (seal acts for neither party)",
        _ => $"{ModeName(mode)}事项须以镇街自身名义用章，不能使用「{seal.Text}」(must be the township's own seal)",
    };

    /// <summary>The mode's Chinese name, for messages and pages people read.</summary>
    public static string ModeName(DelegationMode mode) => mode switch
    {
        DelegationMode.EntrustedHandling => "委托办理",
        DelegationMode.EntrustedAcceptance => "委托受理",
        DelegationMode.DirectDevolution => "直接下放",
        _ => "下放实质性审核权",
    };

    private static int IndexOf(string code)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == code)
            {
                return i;
            }
        }

        return -1;
    }

    private static PolicyDecision Refuse(string code, string message) => PolicyDecision.Refuse(code, message);
}
