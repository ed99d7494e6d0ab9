namespace SealService.Api.Endpoints.Contracts;

// Request bodies. Everything is nullable so that missing fields become VALIDATION_FAILED with the
// field named, rather than a JSON error; enum-like fields are the kebab-case wire names.

public sealed record RegionBody(string? Id, string? Name, string? City);

public sealed record DepartmentBody(string? Id, string? RegionId, string? Name);

public sealed record TownshipBody(string? Id, string? RegionId, string? Name, string? Kind);

public sealed record VillageStationBody(string? Id, string? TownshipId, string? Name);

public sealed record MatterBody(
    string? Id, string? RegionId, string? DepartmentId, string? SupervisingDepartmentId, string? Name, string? Code,
    string? PowerType, string? SecondaryPowerType, string? PowerTypeText, string? Level, string? Handling, string? Remark);

public sealed record PeriodBody(DateOnly? From, DateOnly? To);

public sealed record AgreementMatterBody(string? MatterId, string? Mode, IReadOnlyList<string?>? Steps);

/// <summary>Create or amend an agreement. <c>version</c> (on update) guards against lost updates.</summary>
public sealed record AgreementBody(
    string? Id, string? DepartmentId, string? TownshipId, string? Name, PeriodBody? Period,
    IReadOnlyList<AgreementMatterBody?>? Matters, int? Version, string? Reason);

/// <summary>Register or amend a seal; <c>name</c> is the legal text on it.</summary>
public sealed record SealBody(
    string? Id, string? Name, string? Kind, string? ActingBodyId, string? HoldingTownshipId, PeriodBody? Validity,
    string? KeyRef, string? ArcText, string? PurposeText, int? Version, string? Reason, string? SignatureLevel = null);

public sealed record ReasonBody(string? Reason);

public sealed record FileAgreementBody(string? Reason, string? FilingNumber, DateOnly? FilingDate);

/// <summary>
/// A stamp-check dry run. <c>asTownshipId</c> lets a registry-admin, auditor or department-officer see the decision
/// a clerk of that township would get; <c>at</c> asks about a past instant (default now).
/// </summary>
public sealed record StampCheckBody(
    string? SealId, string? MatterId, string? Step, string? SubjectTownshipId, string? DocumentKind,
    string? AsTownshipId, DateTimeOffset? At);
