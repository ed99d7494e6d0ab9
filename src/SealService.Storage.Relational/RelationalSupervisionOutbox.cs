using System.Data.Common;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>The supervision outbox table (rows written by <see cref="RelationalStampingStore.CommitStampAsync"/>).</summary>
public sealed class RelationalSupervisionOutbox(RelationalRegistryStore registry) : ISupervisionOutbox
{
    private const string Columns = "id, department_id, document_id, payload, created_ticks, status, attempts, next_attempt_ticks, last_error, delivered_ticks";
    private readonly SqlDatabase _db = registry.Database;

    public async Task<IReadOnlyList<SupervisionEventState>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        // The claim moves the next attempt past the lease in the same statement that picks the rows; PostgreSQL skips rows
        // another node is claiming right now. The answer carries the due time as it was before the claim.
        await using var c = await _db.OpenAsync(ct);
        await using var tx = await _db.BeginWriteAsync(c, ct);
        await using var cmd = Sql.Command(c, tx, $"""
            UPDATE supervision_outbox SET next_attempt_ticks = @lease
            WHERE id IN (SELECT id FROM supervision_outbox WHERE status = 'pending' AND next_attempt_ticks <= @now
                         ORDER BY next_attempt_ticks, id LIMIT @max{_db.SkipLocked})
            RETURNING {Columns}
            """, ("@now", now.UtcTicks), ("@max", max), ("@lease", (now + lease).UtcTicks));
        var claimed = await ReadAllAsync(cmd, ct);
        await tx.CommitAsync(ct);
        return [.. claimed.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e with { NextAttemptAt = now })];
    }

    public async Task MarkDeliveredAsync(string id, int attempts, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await Sql.ExecuteAsync(c, null, """
            UPDATE supervision_outbox SET status = 'delivered', attempts = @a, delivered_ticks = @t, next_attempt_ticks = NULL WHERE id = @id
            """, ct, ("@a", attempts), ("@t", at.UtcTicks), ("@id", id));
    }

    public async Task MarkAttemptFailedAsync(string id, int attempts, DateTimeOffset? nextAttemptAt, string error, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await Sql.ExecuteAsync(c, null, """
            UPDATE supervision_outbox SET status = @s, attempts = @a, next_attempt_ticks = @n, last_error = @e WHERE id = @id
            """, ct, ("@s", nextAttemptAt is null ? SupervisionStatus.Failed : SupervisionStatus.Pending), ("@a", attempts),
            ("@n", nextAttemptAt?.UtcTicks), ("@e", error.Length > 500 ? error[..500] : error), ("@id", id));
    }

    public async Task<Page<SupervisionEventState>> ListAsync(string? status, string? departmentId, PageRequest page, CancellationToken ct)
    {
        var where = new SqlWhere();
        if (status is not null)
            where.Add("status = @s", "@s", status);
        if (departmentId is not null)
            where.Add("department_id = @d", "@d", departmentId);
        await using var c = await _db.OpenAsync(ct);
        await using var tx = await _db.BeginReadAsync(c, ct);
        var total = await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM supervision_outbox WHERE {where}", ct, [.. where.Parameters]);
        await using var cmd = Sql.Command(c, tx, $"""
            SELECT {Columns} FROM supervision_outbox WHERE {where} ORDER BY created_ticks DESC, id DESC LIMIT @l OFFSET @o
            """, [.. where.Parameters, ("@l", page.Limit), ("@o", page.Offset)]);
        return new Page<SupervisionEventState>(await ReadAllAsync(cmd, ct), (int)total);
    }

    private static async Task<List<SupervisionEventState>> ReadAllAsync(DbCommand cmd, CancellationToken ct)
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
