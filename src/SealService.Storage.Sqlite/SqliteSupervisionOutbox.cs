using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Sqlite;

/// <summary>The supervision outbox table (rows written by <see cref="SqliteStampingStore.CommitStampAsync"/>).</summary>
public sealed class SqliteSupervisionOutbox(SqliteRegistryStore registry) : ISupervisionOutbox
{
    private const string Columns = "id, department_id, document_id, payload, created_ticks, status, attempts, next_attempt_ticks, last_error, delivered_ticks";
    private readonly SqliteDb _db = registry.Db;

    public async Task<IReadOnlyList<SupervisionEventState>> DueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, $"""
            SELECT {Columns} FROM supervision_outbox WHERE status = 'pending' AND next_attempt_ticks <= $now
            ORDER BY next_attempt_ticks, id LIMIT $max
            """, ("$now", now.UtcTicks), ("$max", max));
        return await ReadAllAsync(cmd, ct);
    }

    public async Task MarkDeliveredAsync(string id, int attempts, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await Sql.ExecuteAsync(c, null, """
            UPDATE supervision_outbox SET status = 'delivered', attempts = $a, delivered_ticks = $t, next_attempt_ticks = NULL WHERE id = $id
            """, ct, ("$a", attempts), ("$t", at.UtcTicks), ("$id", id));
    }

    public async Task MarkAttemptFailedAsync(string id, int attempts, DateTimeOffset? nextAttemptAt, string error, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await Sql.ExecuteAsync(c, null, """
            UPDATE supervision_outbox SET status = $s, attempts = $a, next_attempt_ticks = $n, last_error = $e WHERE id = $id
            """, ct, ("$s", nextAttemptAt is null ? SupervisionStatus.Failed : SupervisionStatus.Pending), ("$a", attempts),
            ("$n", nextAttemptAt?.UtcTicks), ("$e", error.Length > 500 ? error[..500] : error), ("$id", id));
    }

    public async Task<Page<SupervisionEventState>> ListAsync(string? status, string? departmentId, PageRequest page, CancellationToken ct)
    {
        const string Where = "($s IS NULL OR status = $s) AND ($d IS NULL OR department_id = $d)";
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true);
        var total = await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM supervision_outbox WHERE {Where}", ct, ("$s", status), ("$d", departmentId));
        await using var cmd = Sql.Command(c, tx, $"""
            SELECT {Columns} FROM supervision_outbox WHERE {Where} ORDER BY created_ticks DESC, id DESC LIMIT $l OFFSET $o
            """, ("$s", status), ("$d", departmentId), ("$l", page.Limit), ("$o", page.Offset));
        return new Page<SupervisionEventState>(await ReadAllAsync(cmd, ct), (int)total);
    }

    private static async Task<IReadOnlyList<SupervisionEventState>> ReadAllAsync(Microsoft.Data.Sqlite.SqliteCommand cmd, CancellationToken ct)
    {
        var list = new List<SupervisionEventState>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new SupervisionEventState(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), new DateTimeOffset(r.GetInt64(4), TimeSpan.Zero),
                r.GetString(5), r.GetInt32(6), r.IsDBNull(7) ? null : new DateTimeOffset(r.GetInt64(7), TimeSpan.Zero), r.Str(8),
                r.IsDBNull(9) ? null : new DateTimeOffset(r.GetInt64(9), TimeSpan.Zero)));
        }

        return list;
    }
}
