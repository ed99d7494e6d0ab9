using System.Data.Common;
using Npgsql;
using SealService.Domain.Stamping;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

/// <summary>
/// The journal on PostgreSQL: the stamp's transaction writes the ledger entry (the host journal's canonical bytes) into
/// ledger_queue, so a stamp answered 201 has its record durable; its index arrives when the sequencer integrates it.
/// </summary>
internal sealed class PostgresLedgerQueue(ISealUseJournal ledger, PostgresLedgerStorage storage) : ISealUseJournal
{
    public byte[] EntryOf(SealUseRecord use) => ledger.EntryOf(use);

    public async ValueTask<long?> AppendAsync(DbTransaction transaction, SealUseRecord use, CancellationToken ct)
    {
        var tx = (NpgsqlTransaction)transaction;
        await using var cmd = new NpgsqlCommand("INSERT INTO ledger_queue(seal_use_id, entry) VALUES (@u, @e)", tx.Connection, tx);
        cmd.Parameters.AddWithValue("u", use.Id);
        cmd.Parameters.AddWithValue("e", EntryOf(use));
        await cmd.ExecuteNonQueryAsync(ct);
        return null;
    }

    public void Committed() => storage.Signal();
}
