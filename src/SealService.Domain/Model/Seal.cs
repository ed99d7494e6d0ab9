using SealService.Domain.Errors;

namespace SealService.Domain.Model;

/// <summary>
/// A registered seal. <see cref="ActingBodyId"/> is the body in whose name it acts: a department id for
/// <see cref="SealKind.DepartmentNo2"/> and <see cref="SealKind.DepartmentOwn"/>, a township id for
/// <see cref="SealKind.TownshipOwn"/>. Immutable; every change is a new version.
/// </summary>
public sealed record Seal
{
    public required string Id { get; init; }

    public required int Version { get; init; }

    /// <summary>Legal text, e.g. 牡丹区行政审批服务局审批专用章（沙土镇）.</summary>
    public required string Text { get; init; }

    public required SealKind Kind { get; init; }

    public required string ActingBodyId { get; init; }

    /// <summary>Township that physically holds and uses the seal; null for a department's own seal.</summary>
    public string? HoldingTownshipId { get; init; }

    public required DatePeriod Validity { get; init; }

    /// <summary>Key/certificate reference, by convention <c>seals/&lt;sealId&gt;</c>.</summary>
    public required string KeyRef { get; init; }

    /// <summary>Image texts: name on the arc and the purpose line below the star (optional; derived from Text if absent).</summary>
    public string? ArcText { get; init; }

    public string? PurposeText { get; init; }

    /// <summary>PAdES level of this seal's stamps unless a request names one; null = the host's default.</summary>
    public SignatureLevel? SignatureLevel { get; init; }

    public required SealStatus Status { get; init; }

    public required ChangeInfo Change { get; init; }

    public static string DefaultKeyRef(string sealId) => $"seals/{sealId}";

    public Seal Suspend(ChangeInfo change) => Move(SealStatus.Suspended, "suspend", change, SealStatus.Active);

    public Seal Resume(ChangeInfo change) => Move(SealStatus.Active, "resume", change, SealStatus.Suspended);

    public Seal Revoke(ChangeInfo change) =>
        Move(SealStatus.Revoked, "revoke", change, SealStatus.Active, SealStatus.Suspended);

    /// <summary>封存: can never stamp again; what it stamped while active stays valid.</summary>
    public Seal Retire(ChangeInfo change) =>
        Move(SealStatus.Retired, "retire", change, SealStatus.Active, SealStatus.Suspended);

    public Seal Amend(Seal edited, ChangeInfo change)
    {
        if (Status is SealStatus.Revoked or SealStatus.Retired)
        {
            throw DomainException.InvalidTransition("seal", Id, Wire.Name(Status), "update");
        }

        return edited with { Id = Id, Version = Version + 1, Kind = Kind, Status = Status, Change = change };
    }

    private Seal Move(SealStatus to, string action, ChangeInfo change, params SealStatus[] from)
    {
        if (Array.IndexOf(from, Status) < 0)
        {
            throw DomainException.InvalidTransition("seal", Id, Wire.Name(Status), action);
        }

        return this with { Version = Version + 1, Status = to, Change = change };
    }
}
