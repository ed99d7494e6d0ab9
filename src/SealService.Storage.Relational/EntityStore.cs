using System.Data.Common;
using SealService.Domain.Errors;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

/// <summary>Plain table per entity; subclasses give the columns, the mapping and the filter.</summary>
internal abstract class EntityStore<T>(SqlDatabase db, string table, string kind, string[] columns) : IEntityStore<T>
    where T : class
{
    private readonly string _select = $"SELECT {string.Join(", ", columns)} FROM {table}";

    protected SqlDatabase Db => db;

    public async Task<T?> GetAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, $"{_select} WHERE id = @id", ("@id", id));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct)
    {
        page = page.Validated();
        var where = new List<string>();
        var ps = new List<(string, object?)>();
        Filter(filter, where, ps);
        var clause = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);

        await using var c = await db.OpenAsync(ct);
        var total = await Sql.ScalarAsync(c, null, $"SELECT COUNT(*) FROM {table}{clause}", ct, [.. ps]);
        await using var cmd = Sql.Command(c, null, $"{_select}{clause} ORDER BY id LIMIT @limit OFFSET @offset",
            [.. ps, ("@limit", page.Limit), ("@offset", page.Offset)]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<T>();
        while (await r.ReadAsync(ct))
        {
            items.Add(Read(r));
        }

        return new Page<T>(items, (int)total);
    }

    public async Task<IReadOnlyList<T>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var items = new List<T>(ids.Count);
        if (ids.Count == 0)
        {
            return items;
        }

        await using var c = await db.OpenAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(400))
        {
            var names = string.Join(", ", chunk.Select((_, i) => $"@i{i}"));
            await using var cmd = Sql.Command(c, null, $"{_select} WHERE id IN ({names})", [.. chunk.Select((id, i) => ($"@i{i}", (object?)id))]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                items.Add(Read(r));
            }
        }

        return items;
    }

    public Task AddAsync(T entity, CancellationToken ct) => Db.Guard(async () =>
    {
        await using var c = await db.OpenAsync(ct);
        var names = string.Join(", ", columns);
        var values = string.Join(", ", columns.Select((_, i) => $"@p{i}"));
        return await Sql.ExecuteAsync(c, null, $"INSERT INTO {table} ({names}) VALUES ({values})", ct, Parameters(entity));
    }, $"{kind} {IdOf(entity)}");

    public async Task UpdateAsync(T entity, CancellationToken ct)
    {
        var changed = await Db.Guard(async () =>
        {
            await using var c = await db.OpenAsync(ct);
            var sets = string.Join(", ", columns.Skip(1).Select((col, i) => $"{col} = @p{i + 1}"));
            return await Sql.ExecuteAsync(c, null, $"UPDATE {table} SET {sets} WHERE id = @p0", ct, Parameters(entity));
        }, $"{kind} {IdOf(entity)}");
        if (changed == 0)
        {
            throw DomainException.NotFound(kind, IdOf(entity));
        }
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var changed = await Db.Guard(async () =>
        {
            await using var c = await db.OpenAsync(ct);
            return await Sql.ExecuteAsync(c, null, $"DELETE FROM {table} WHERE id = @id", ct, ("@id", id));
        }, $"{kind} {id}");
        if (changed == 0)
        {
            throw DomainException.NotFound(kind, id);
        }
    }

    /// <summary>Inserts if the id is new; returns 1 if inserted. Used by seeding inside its transaction.</summary>
    public async Task<int> InsertIfAbsentAsync(DbConnection c, DbTransaction tx, T entity, CancellationToken ct)
    {
        var names = string.Join(", ", columns);
        var values = string.Join(", ", columns.Select((_, i) => $"@p{i}"));
        return await Sql.ExecuteAsync(c, tx, $"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING", ct, Parameters(entity));
    }

    protected abstract string IdOf(T entity);

    /// <summary>Values in column order.</summary>
    protected abstract object?[] Values(T entity);

    protected abstract T Read(DbDataReader r);

    protected virtual void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        if (!string.IsNullOrEmpty(f.Name))
        {
            where.Add(Db.Contains("name", "@name"));
            ps.Add(("@name", f.Name));
        }
    }

    protected (string, object?)[] Parameters(T entity) => [.. Values(entity).Select((v, i) => ($"@p{i}", v))];
}
