using SealService.Domain.Model;

namespace SealService.Domain.Application;

/// <summary>Input to create or amend an agreement. Id null on create means "generate one".</summary>
public sealed record AgreementDraft(
    string? Id,
    string DepartmentId,
    string TownshipId,
    string Title,
    DatePeriod Period,
    IReadOnlyList<AgreementMatter> Matters);

/// <summary>Input to create or amend a seal. KeyRef null means the convention <c>seals/&lt;id&gt;</c>.</summary>
public sealed record SealDraft(
    string? Id,
    string Text,
    SealKind Kind,
    string ActingBodyId,
    string? HoldingTownshipId,
    DatePeriod Validity,
    string? KeyRef = null,
    string? ArcText = null,
    string? PurposeText = null,
    SignatureLevel? SignatureLevel = null);

/// <summary>One line of 一镇街一清单: a matter the township may handle at the date, and on what basis.</summary>
public sealed record TownshipListEntry(
    Matter Matter,
    DelegationMode Mode,
    IReadOnlyList<CaseStep> Steps,
    string AgreementId,
    int AgreementVersion,
    string DepartmentId);

public sealed record TownshipList(Township Township, DateOnly Date, IReadOnlyList<TownshipListEntry> Entries);
