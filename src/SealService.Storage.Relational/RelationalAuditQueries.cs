using System.Runtime.CompilerServices;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>Which seal uses an audit or archive package covers; every field optional, <see cref="To"/> exclusive.</summary>
public sealed record AuditScope(
    string? DepartmentId = null, string? TownshipId = null, string? CaseNumber = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>A seal use and, when it produced one, its document's storage path.</summary>
public sealed record AuditItem(SealUseRecord Use, string? StoragePath);

/// <summary>Streams seal uses in ledger order for audit packages (one read snapshot, never all rows in memory).</summary>
public sealed class RelationalAuditQueries(RelationalRegistryStore registry)
{
    public async IAsyncEnumerable<AuditItem> ReadAsync(AuditScope scope, [EnumeratorCancellation] CancellationToken ct)
    {
        var where = new SqlWhere();
        where.AddSealUseScope("u.", scope.DepartmentId, scope.TownshipId, scope.From, scope.To);
        if (scope.CaseNumber is { } number)
            where.Add("u.case_number = @case", "@case", number);

        await using var c = await registry.Database.OpenAsync(ct);
        await using var tx = await registry.Database.BeginReadAsync(c, ct);
        await using var cmd = Sql.Command(c, tx, $"""
            SELECT {RelationalStampingStore.UseColumns("u")}, d.storage_path
            FROM seal_uses u LEFT JOIN documents d ON d.seal_use_id = u.id
            WHERE {where} ORDER BY u.ledger_index IS NULL, u.ledger_index, u.at_ticks, u.id
            """, [.. where.Parameters]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            yield return new AuditItem(RelationalStampingStore.ReadUse(r, 0), r.Str(27)); // 27 = after the use columns
    }
}
