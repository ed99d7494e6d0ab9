using System.Data.Common;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>
/// Appends each seal-use record to the tamper-evident ledger inside the store's own transaction (same database), so a
/// record and its ledger entry commit together or not at all. Implemented by the host over SealService.Ledger; a store
/// shared by several nodes queues the entry for the ledger's sequencer instead.
/// </summary>
public interface ISealUseJournal
{
    /// <summary>The entry the ledger keeps for the record (its canonical bytes).</summary>
    byte[] EntryOf(SealUseRecord use);

    /// <summary>
    /// Appends the record's entry in <paramref name="transaction"/>; returns its ledger index, or null when the entry is
    /// queued and a sequencer gives it its index later.
    /// </summary>
    ValueTask<long?> AppendAsync(DbTransaction transaction, SealUseRecord use, CancellationToken ct);

    /// <summary>Called after the transaction committed.</summary>
    void Committed();
}
