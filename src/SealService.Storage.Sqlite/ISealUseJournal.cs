using Microsoft.Data.Sqlite;
using SealService.Domain.Stamping;

namespace SealService.Storage.Sqlite;

/// <summary>
/// The tamper-evident log the stamping store writes every seal use to, inside the transaction that stores the use
/// (adapter: the host's SealLedger, whose tables live in the same SQLite file).
/// </summary>
public interface ISealUseJournal
{
    /// <summary>Appends the use's canonical entry within <paramref name="transaction"/>; returns its ledger index.</summary>
    long Append(SqliteTransaction transaction, SealUseRecord use);

    /// <summary>Called after that transaction committed (loads the new entries into the tree).</summary>
    void Committed();
}
