using System.Text.Json.Nodes;

namespace SealService.Ledger.Canonical;

/// <summary>Who used (or tried to use) a seal.</summary>
public sealed record SealUseActor(string Name, string Role, string? TownshipId = null, string? DepartmentId = null);

/// <summary>
/// One seal-use record as the ledger stores it (allowed or refused). <see cref="ToCanonicalBytes"/>
/// is THE entry encoding: canonical JSON (see <see cref="CanonicalJson"/>); optional members that
/// are null are omitted, never written as null. Documented field by field in docs/ledger.md.
/// </summary>
public sealed record SealUseRecord
{
    public const int CurrentVersion = 1;

    public int LedgerVersion { get; init; } = CurrentVersion;

    public required string SealUseId { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>"allowed" or "refused".</summary>
    public required string Outcome { get; init; }

    /// <summary>The policy's refusal code; null when allowed.</summary>
    public string? Code { get; init; }

    public required string SealId { get; init; }

    public int? SealVersion { get; init; }

    public string? MatterId { get; init; }

    public string? Step { get; init; }

    public string? CaseNumber { get; init; }

    public string? SubjectTownshipId { get; init; }

    public required SealUseActor Actor { get; init; }

    public string? AgreementId { get; init; }

    public int? AgreementVersion { get; init; }

    /// <summary>Delegation mode of the agreement (wire name); absent for a department's own seal and in entries before it was recorded.</summary>
    public string? Mode { get; init; }

    /// <summary>Document kind the stamp issues or was refused for (wire name).</summary>
    public string? DocumentKind { get; init; }

    /// <summary>Template the document was rendered from; absent for uploads.</summary>
    public string? TemplateId { get; init; }

    public string? DocumentId { get; init; }

    public string? DocumentNumber { get; init; }

    /// <summary>Lowercase hex SHA-256 of the issued PDF.</summary>
    public string? DocumentSha256 { get; init; }

    public byte[] ToCanonicalBytes()
    {
        if (Outcome is not ("allowed" or "refused"))
        {
            throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, "outcome must be 'allowed' or 'refused'.");
        }

        var actor = new JsonObject { ["name"] = Actor.Name, ["role"] = Actor.Role };
        AddIf(actor, "townshipId", Actor.TownshipId);
        AddIf(actor, "departmentId", Actor.DepartmentId);

        var o = new JsonObject
        {
            ["ledgerVersion"] = LedgerVersion,
            ["sealUseId"] = SealUseId,
            ["at"] = CanonicalJson.Timestamp(At),
            ["outcome"] = Outcome,
            ["sealId"] = SealId,
            ["actor"] = actor,
        };
        AddIf(o, "code", Code);
        AddIf(o, "sealVersion", SealVersion);
        AddIf(o, "matterId", MatterId);
        AddIf(o, "step", Step);
        AddIf(o, "caseNumber", CaseNumber);
        AddIf(o, "subjectTownshipId", SubjectTownshipId);
        AddIf(o, "agreementId", AgreementId);
        AddIf(o, "agreementVersion", AgreementVersion);
        AddIf(o, "mode", Mode);
        AddIf(o, "documentKind", DocumentKind);
        AddIf(o, "templateId", TemplateId);
        AddIf(o, "documentId", DocumentId);
        AddIf(o, "documentNumber", DocumentNumber);
        AddIf(o, "documentSha256", DocumentSha256);
        return CanonicalJson.Serialize(o);
    }

    private static void AddIf(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }

    private static void AddIf(JsonObject o, string name, int? value)
    {
        if (value is not null)
        {
            o[name] = value.Value;
        }
    }
}
