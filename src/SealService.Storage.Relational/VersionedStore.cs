using System.Data.Common;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

/// <summary>
/// Append-only versions in <c>{table}_versions</c> plus a head row in <c>{table}</c> (latest version and list/filter
/// columns). "In force at T" = the highest version whose change time is at or before T.
/// </summary>
internal abstract class VersionedStore<T>(SqlDatabase db, string kind, string head, string[] versionColumns, string[] headColumns) : IVersionedStore<T>
    where T : class
{
    private readonly string _versions = head[..^1] + "_versions";

    protected SqlDatabase Db => db;

    protected string SelectVersions { get; } = $"SELECT {string.Join(", ", versionColumns.Select(c => "v." + c))} FROM {head[..^1]}_versions v";

    public async Task<T?> GetAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, id, ct);
    }

    public async Task<T?> GetAsOfAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsOfAsync(c, id, at, ct);
    }

    public async Task<IReadOnlyList<T>> GetHistoryAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await QueryAsync(c, null, $"{SelectVersions} WHERE v.id = @id ORDER BY v.version", ct, ("@id", id));
    }

    public async Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct)
    {
        page = page.Validated();
        var where = new List<string>();
        var ps = new List<(string, object?)>();
        Filter(filter, where, ps);
        var clause = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);

        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginReadAsync(c, ct); // one consistent read
        var total = await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM {head}{clause}", ct, [.. ps]);
        var items = await QueryAsync(c, tx,
            $"{SelectVersions} JOIN (SELECT id, current_version FROM {head}{clause} ORDER BY id LIMIT @limit OFFSET @offset) h " +
            "ON h.id = v.id AND h.current_version = v.version ORDER BY v.id",
            ct, [.. ps, ("@limit", page.Limit), ("@offset", page.Offset)]);
        return new Page<T>(items, (int)total);
    }

    public async Task AppendAsync(T version, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        await AppendAsync(c, tx, version, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Inserts version 1 if the id is absent; returns 1 if inserted.</summary>
    public async Task<int> InsertIfAbsentAsync(DbConnection c, DbTransaction tx, T first, CancellationToken ct)
    {
        if (await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM {head} WHERE id = @id", ct, ("@id", IdOf(first))) > 0)
        {
            return 0;
        }

        await AppendAsync(c, tx, first, ct);
        return 1;
    }

    internal async Task<T?> GetAsync(DbConnection c, string id, CancellationToken ct)
    {
        var found = await QueryAsync(c, null,
            $"{SelectVersions} JOIN {head} h ON h.id = v.id AND h.current_version = v.version WHERE v.id = @id", ct, ("@id", id));
        return found.Count == 0 ? null : found[0];
    }

    internal async Task<T?> GetAsOfAsync(DbConnection c, string id, DateTimeOffset at, CancellationToken ct, DbTransaction? tx = null)
    {
        var found = await QueryAsync(c, tx,
            $"{SelectVersions} WHERE v.id = @id AND v.changed_at <= @at ORDER BY v.version DESC LIMIT 1", ct, ("@id", id), ("@at", at.UtcTicks));
        return found.Count == 0 ? null : found[0];
    }

    internal async Task<List<T>> QueryAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        var items = new List<T>();
        await using (var cmd = Sql.Command(c, tx, sql, ps))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                items.Add(Read(r));
            }
        }

        return await CompleteAsync(c, tx, items, ct);
    }

    protected abstract string IdOf(T entity);

    protected abstract int VersionOf(T entity);

    protected abstract ChangeInfo ChangeOf(T entity);

    /// <summary>Values for versionColumns, in order.</summary>
    protected abstract object?[] VersionValues(T entity);

    /// <summary>Values for headColumns (id, current_version, ...), in order.</summary>
    protected abstract object?[] HeadValues(T entity);

    protected abstract T Read(DbDataReader r);

    protected abstract void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps);

    /// <summary>Loads child rows (agreement matters) for versions just read.</summary>
    protected virtual Task<List<T>> CompleteAsync(DbConnection c, DbTransaction? tx, List<T> items, CancellationToken ct) => Task.FromResult(items);

    protected virtual Task WriteChildrenAsync(DbConnection c, DbTransaction tx, T entity, CancellationToken ct) => Task.CompletedTask;

    private async Task AppendAsync(DbConnection c, DbTransaction tx, T version, CancellationToken ct)
    {
        var id = IdOf(version);
        var number = VersionOf(version);
        var change = ChangeOf(version);
        long current = 0;
        long lastAt = long.MinValue;
        await using (var cmd = Sql.Command(c, tx,
            $"SELECT h.current_version, v.changed_at FROM {head} h JOIN {_versions} v ON v.id = h.id AND v.version = h.current_version WHERE h.id = @id",
            ("@id", id)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                current = r.GetInt32(0);
                lastAt = r.GetInt64(1);
            }
        }

        if (number != current + 1)
        {
            throw current == 0
                ? DomainException.NotFound(kind, id)
                : DomainException.Conflict(number == 1
                    ? $"{kind} {id} 已存在 (already exists)"
                    : $"{kind} {id} 已被修改（当前第 {current} 版）(stale version)");
        }

        if (change.At.UtcTicks < lastAt)
        {
            throw DomainException.Conflict($"{kind} {id}: 变更时间早于上一版本 (change time precedes the previous version)");
        }

        await Db.Guard(async () =>
        {
            var cols = string.Join(", ", versionColumns);
            var vals = string.Join(", ", versionColumns.Select((_, i) => $"@p{i}"));
            await Sql.ExecuteAsync(c, tx, $"INSERT INTO {_versions} ({cols}) VALUES ({vals})", ct,
                [.. VersionValues(version).Select((v, i) => ($"@p{i}", v))]);
            await WriteChildrenAsync(c, tx, version, ct);

            var hcols = string.Join(", ", headColumns);
            var hvals = string.Join(", ", headColumns.Select((_, i) => $"@h{i}"));
            var updates = string.Join(", ", headColumns.Skip(1).Select(col => $"{col} = excluded.{col}"));
            return await Sql.ExecuteAsync(c, tx, $"INSERT INTO {head} ({hcols}) VALUES ({hvals}) ON CONFLICT(id) DO UPDATE SET {updates}", ct,
                [.. HeadValues(version).Select((v, i) => ($"@h{i}", v))]);
        }, $"{kind} {id}");
    }
}
