using System.Data.Common;
using Microsoft.Data.Sqlite;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using SealService.Ledger;
using SealService.Storage.Relational;
using LedgerActor = SealService.Ledger.Canonical.SealUseActor;
using LedgerRecord = SealService.Ledger.Canonical.SealUseRecord;

namespace SealService.Api.Stamping;

/// <summary>Appends seal-use records to the <see cref="SealLedger"/> (canonical entry, docs/ledger.md) in the store's transaction.</summary>
public sealed class LedgerJournal(SealLedger ledger) : ISealUseJournal
{
    public SealLedger Ledger { get; } = ledger;

    public byte[] EntryOf(SealUseRecord use) => ToEntry(use).ToCanonicalBytes();

    public ValueTask<long?> AppendAsync(DbTransaction transaction, SealUseRecord use, CancellationToken ct) => transaction is SqliteTransaction sqlite
        ? ValueTask.FromResult<long?>(Ledger.AppendInTransaction(sqlite, EntryOf(use)))
        : throw new NotSupportedException("a shared database queues the entry for its sequencer (the adapter's journal), not in this transaction");

    public void Committed() => Ledger.NotifyCommitted();

    /// <summary>The ledger's record for a seal use: outcome stamped is the ledger's "allowed".</summary>
    public static LedgerRecord ToEntry(SealUseRecord u) => new()
    {
        SealUseId = u.Id,
        At = u.At,
        Outcome = u.Outcome == SealUseOutcomes.Stamped ? "allowed" : "refused",
        Code = u.Code,
        SealId = u.SealId,
        SealVersion = u.SealVersion,
        MatterId = u.MatterId,
        Step = Wire.Name(u.Step),
        CaseNumber = u.CaseNumber,
        SubjectTownshipId = u.SubjectTownshipId,
        Actor = new LedgerActor(u.ActorName, Wire.Name(u.ActorRole), u.ActorTownshipId, u.ActorDepartmentId),
        AgreementId = u.AgreementId,
        AgreementVersion = u.AgreementVersion,
        Mode = u.Mode is { } mode ? Wire.Name(mode) : null,
        DocumentKind = u.DocumentKind is { } kind ? Wire.Name(kind) : null,
        TemplateId = u.TemplateId,
        DocumentId = u.DocumentId,
        DocumentNumber = u.DocumentNumber,
        DocumentSha256 = u.Sha256,
    };
}
