using System.Data.Common;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>
/// Appends each seal-use record to the tamper-evident ledger inside the store's own transaction (same database), so a
/// record and its ledger entry commit together or not at all. Implemented by the host over SealService.Ledger.
/// </summary>
public interface ISealUseJournal
{
    /// <summary>Appends the record's canonical entry in <paramref name="transaction"/>; returns its ledger index.</summary>
    long Append(DbTransaction transaction, SealUseRecord use);

    /// <summary>Called after the transaction committed.</summary>
    void Committed();
}
