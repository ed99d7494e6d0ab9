using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>
/// The basis of one stamp, as every signature states it in a signed CMS attribute (docs/signing.md, "Stamp scope"):
/// which seal version under which agreement version and mode, for which matter, step, document kind, case and
/// township, on which document and seal-use record. The ledger index is not known while signing (the entry is appended
/// in the commit), so the seal-use id names the record instead.
/// </summary>
public sealed record StampScope(
    string SealId,
    int SealVersion,
    string? AgreementId,
    int? AgreementVersion,
    DelegationMode? Mode,
    string MatterId,
    string? MatterCode,
    string MatterName,
    CaseStep Step,
    DocumentKind DocumentKind,
    string CaseNumber,
    string? SubjectTownshipId,
    string DocumentId,
    string DocumentNumber,
    string SealUseId,
    string? TemplateId,
    long? LedgerIndex = null);
