using SealService.Domain.Stamping;

namespace SealService.Pdf.Verification.Reports;

/// <summary>The verdict on a document, worst first in <see cref="VerificationReport.Rank"/>.</summary>
public static class Verdicts
{
    public const string Valid = "valid";
    public const string ValidWithWarnings = "valid-with-warnings";
    public const string Altered = "altered";
    public const string Invalid = "invalid";
    public const string Unknown = "unknown";
}

/// <summary>One line of the report: a stable code, pass / warn / fail, and the same finding in Chinese and English.</summary>
public sealed record VerificationCheck(string Code, string Status, string Zh, string En)
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Fail = "fail";

    public static VerificationCheck Passed(string code, string zh, string en) => new(code, Pass, zh, en);

    public static VerificationCheck Warning(string code, string zh, string en) => new(code, Warn, zh, en);

    public static VerificationCheck Failed(string code, string zh, string en) => new(code, Fail, zh, en);
}

/// <summary>What was found about one signature.</summary>
public sealed record SignatureFinding
{
    public required string Field { get; init; }

    /// <summary>Digest and signature value hold over the signed bytes.</summary>
    public bool Intact { get; init; }

    /// <summary>The signer's chain reaches a trust anchor at the signing time.</summary>
    public bool Trusted { get; init; }

    /// <summary>entire-file, entire-revision or unclear.</summary>
    public required string Coverage { get; init; }

    public IReadOnlyList<string> Modifications { get; init; } = [];

    /// <summary>The SubFilter the signature declares (ETSI.CAdES.detached is judged as PAdES baseline).</summary>
    public string? Profile { get; init; }

    public string? Signer { get; init; }

    /// <summary>The time used: the time-stamp's, else the ledger entry's, else the claimed /M.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>timestamp, ledger or claimed (unverified).</summary>
    public string? SigningTimeSource { get; init; }

    /// <summary>The stamp scope the signature states, when it is a SealService seal's signature.</summary>
    public StampScope? Scope { get; init; }

    /// <summary>PAdES baseline level the file gives this signature (B-B, B-T, B-LT, B-LTA); null when invalid or a document time-stamp.</summary>
    public string? Level { get; init; }

    public string? ErrorCode { get; init; }

    public IReadOnlyList<VerificationCheck> Checks { get; init; } = [];
}

/// <summary>The one report every front end shows: REST, the CLI and the public page.</summary>
public sealed record VerificationReport
{
    public required string Verdict { get; init; }

    /// <summary>SHA-256 of the file checked.</summary>
    public required string Sha256 { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>The issued document this file is (or claims to be), when the registry knows it.</summary>
    public IssuedDocumentView? Document { get; init; }

    public IReadOnlyList<VerificationCheck> Checks { get; init; } = [];

    public IReadOnlyList<SignatureFinding> Signatures { get; init; } = [];

    public static int Rank(string verdict) => verdict switch
    {
        Verdicts.Valid => 0,
        Verdicts.ValidWithWarnings => 1,
        Verdicts.Unknown => 2,
        Verdicts.Altered => 3,
        _ => 4,
    };
}

/// <summary>What the public may see of an issued document (no clerk names, no personal data).</summary>
public sealed record IssuedDocumentView(
    string DocumentId,
    string DocumentNumber,
    string Sha256,
    DateTimeOffset IssuedAt,
    string SealId,
    string? SealText,
    string? SealStatus,
    string? DepartmentName,
    string? TownshipName,
    string MatterId,
    string? MatterName,
    string Step,
    string? DocumentKind,
    string? AgreementId,
    long? LedgerIndex,
    string? LedgerStatus);
