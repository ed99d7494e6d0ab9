using SealService.Domain.Errors;

namespace SealService.Domain.Model;

/// <summary>One matter in an agreement: the mode and the steps the township may perform.</summary>
public sealed record AgreementMatter(string MatterId, DelegationMode Mode, IReadOnlyList<CaseStep> Steps);

/// <summary>
/// 委托协议 between one delegating department and one township. Immutable: every change is a new
/// version (Version + 1) carrying who/when/why in <see cref="Change"/>.
/// </summary>
public sealed record DelegationAgreement
{
    public required string Id { get; init; }

    public required int Version { get; init; }

    public required string DepartmentId { get; init; }

    public required string TownshipId { get; init; }

    public required string Title { get; init; }

    /// <summary>委托期限, inclusive CST dates.</summary>
    public required DatePeriod Period { get; init; }

    /// <summary>备案 number with the judicial office.</summary>
    public string? FilingNumber { get; init; }

    public DateOnly? FilingDate { get; init; }

    public required AgreementStatus Status { get; init; }

    public required IReadOnlyList<AgreementMatter> Matters { get; init; }

    public required ChangeInfo Change { get; init; }

    public AgreementState StateAt(DateTimeOffset instant)
    {
        if (Status != AgreementStatus.Effective)
        {
            return Status switch
            {
                AgreementStatus.Draft => AgreementState.Draft,
                AgreementStatus.Suspended => AgreementState.Suspended,
                _ => AgreementState.Revoked,
            };
        }

        var date = ChinaTime.DateOf(instant);
        if (Period.IsAfter(date))
        {
            return AgreementState.NotYetEffective;
        }

        return Period.IsBefore(date) ? AgreementState.Expired : AgreementState.Effective;
    }

    public AgreementMatter? FindMatter(string matterId)
    {
        foreach (var m in Matters)
        {
            if (m.MatterId == matterId)
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>备案: draft → effective.</summary>
    public DelegationAgreement File(string filingNumber, DateOnly filingDate, ChangeInfo change)
    {
        Require(AgreementStatus.Draft, "file");
        var v = new Validator();
        v.Required("filingNumber", filingNumber, Limits.Code * 2);
        v.ThrowIfAny();
        return Next(AgreementStatus.Effective, change) with { FilingNumber = filingNumber, FilingDate = filingDate };
    }

    public DelegationAgreement Suspend(ChangeInfo change)
    {
        Require(AgreementStatus.Effective, "suspend");
        return Next(AgreementStatus.Suspended, change);
    }

    public DelegationAgreement Resume(ChangeInfo change)
    {
        Require(AgreementStatus.Suspended, "resume");
        return Next(AgreementStatus.Effective, change);
    }

    public DelegationAgreement Revoke(ChangeInfo change)
    {
        if (Status == AgreementStatus.Revoked)
        {
            throw DomainException.InvalidTransition("agreement", Id, Wire.Name(Status), "revoke");
        }

        return Next(AgreementStatus.Revoked, change);
    }

    /// <summary>Content change (matters, period, title); not allowed once revoked.</summary>
    public DelegationAgreement Amend(DelegationAgreement edited, ChangeInfo change)
    {
        if (Status == AgreementStatus.Revoked)
        {
            throw DomainException.InvalidTransition("agreement", Id, Wire.Name(Status), "update");
        }

        return edited with
        {
            Id = Id,
            Version = Version + 1,
            DepartmentId = DepartmentId,
            TownshipId = TownshipId,
            Status = Status,
            FilingNumber = FilingNumber,
            FilingDate = FilingDate,
            Change = change,
        };
    }

    private DelegationAgreement Next(AgreementStatus status, ChangeInfo change) =>
        this with { Version = Version + 1, Status = status, Change = change };

    private void Require(AgreementStatus expected, string action)
    {
        if (Status != expected)
        {
            throw DomainException.InvalidTransition("agreement", Id, Wire.Name(Status), action);
        }
    }
}
