using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>Seal-use outcomes as stored and on the wire.</summary>
public static class SealUseOutcomes
{
    public const string Stamped = "stamped";
    public const string Refused = "refused";
}

/// <summary>
/// 用章登记: one record per stamp and per refused attempt. Seal department/township are the seal's owner and holder at
/// the time (null when the seal id was unknown); they drive the department/township filters and who may read.
/// </summary>
public sealed record SealUseRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary><see cref="SealUseOutcomes.Stamped"/> or <see cref="SealUseOutcomes.Refused"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Refusal code (null when stamped).</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }

    public required string ActorName { get; init; }

    public required CallerRole ActorRole { get; init; }

    public string? ActorDepartmentId { get; init; }

    public string? ActorTownshipId { get; init; }

    public required string SealId { get; init; }

    public int? SealVersion { get; init; }

    public string? SealDepartmentId { get; init; }

    public string? SealTownshipId { get; init; }

    public required string MatterId { get; init; }

    public required CaseStep Step { get; init; }

    public required string CaseNumber { get; init; }

    public string? SubjectTownshipId { get; init; }

    public string? AgreementId { get; init; }

    public int? AgreementVersion { get; init; }

    public DelegationMode? Mode { get; init; }

    public DocumentKind? DocumentKind { get; init; }

    public string? TemplateId { get; init; }

    public string? DocumentId { get; init; }

    public string? DocumentNumber { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>Index of this record's entry in the tamper-evident ledger (null when no ledger is configured).</summary>
    public long? LedgerIndex { get; init; }
}

/// <summary>GET /seal-uses filter; every field optional. <see cref="To"/> is exclusive.</summary>
public sealed record SealUseFilter(
    string? DepartmentId = null,
    string? TownshipId = null,
    string? SealId = null,
    string? MatterId = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>What GET /documents/{id}/record answers: the document and the seal use that produced it.</summary>
public sealed record DocumentRecord(
    string DocumentId,
    string DocumentNumber,
    string Sha256,
    long SizeBytes,
    string? TemplateId,
    string DownloadUrl,
    string VerificationUrl,
    SealUseRecord SealUse);

/// <summary>An opened stored document; dispose the stream.</summary>
public sealed record DocumentContent(string DocumentId, string DocumentNumber, string Sha256, long Length, Stream Content);
