using Microsoft.Data.Sqlite;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using SealService.Storage.Sqlite;
using LedgerRecord = SealService.Ledger.Canonical.SealUseRecord;

namespace SealService.Api.Ledger;

/// <summary>The stamping store's journal: each seal use becomes one ledger entry in the store's own transaction.</summary>
public sealed class LedgerJournal(LedgerRuntime runtime) : ISealUseJournal
{
    public long Append(SqliteTransaction transaction, SealUseRecord use) =>
        runtime.Ledger.AppendInTransaction(transaction, ToLedgerRecord(use).ToCanonicalBytes());

    public void Committed() => runtime.Ledger.NotifyCommitted();

    /// <summary>The canonical ledger form of a stored seal use (docs/ledger.md, "Canonical entry bytes").</summary>
    public static LedgerRecord ToLedgerRecord(SealUseRecord use) => new()
    {
        SealUseId = use.Id,
        At = use.At,
        Outcome = use.Outcome == SealUseOutcomes.Stamped ? "allowed" : "refused",
        Code = use.Outcome == SealUseOutcomes.Stamped ? null : use.Code,
        SealId = use.SealId,
        SealVersion = use.SealVersion,
        MatterId = use.MatterId,
        Step = use.Step.Name(),
        CaseNumber = use.CaseNumber,
        SubjectTownshipId = use.SubjectTownshipId,
        Actor = new(use.ActorName, Wire.Name(use.ActorRole), use.ActorTownshipId, use.ActorDepartmentId),
        AgreementId = use.AgreementId,
        AgreementVersion = use.AgreementVersion,
        DocumentId = use.DocumentId,
        DocumentNumber = use.DocumentNumber,
        DocumentSha256 = use.Sha256,
    };
}
