using SealService.Domain.Catalogue;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Storage.Sqlite;

/// <summary>
/// The registry in one SQLite file (WAL). Open with <see cref="OpenAsync"/>: it creates the file and applies pending
/// migrations. Thread-safe: every call uses its own pooled connection.
/// </summary>
public sealed class SqliteRegistryStore : IRegistryStore, IStoreHealthProbe
{
    private readonly SqliteDb _db;
    private readonly RegionStore _regions;
    private readonly DepartmentStore _departments;
    private readonly TownshipStore _townships;
    private readonly VillageStationStore _stations;
    private readonly MatterStore _matters;
    private readonly AgreementStore _agreements;
    private readonly SealStore _seals;

    private SqliteRegistryStore(SqliteDb db)
    {
        _db = db;
        _regions = new RegionStore(db);
        _departments = new DepartmentStore(db);
        _townships = new TownshipStore(db);
        _stations = new VillageStationStore(db);
        _matters = new MatterStore(db);
        _agreements = new AgreementStore(db);
        _seals = new SealStore(db);
    }

    internal SqliteDb Db => _db;

    /// <summary>Path of the database file.</summary>
    public string FilePath => _db.Path;

    public IEntityStore<Region> Regions => _regions;

    public IEntityStore<Department> Departments => _departments;

    public IEntityStore<Township> Townships => _townships;

    public IEntityStore<VillageStation> VillageStations => _stations;

    public IEntityStore<Matter> Matters => _matters;

    public IAgreementStore Agreements => _agreements;

    public IVersionedStore<Seal> Seals => _seals;

    /// <summary>Opens (creating if needed) <c>registry.db</c> in <paramref name="dataDirectory"/>; see <see cref="DataDirectory.Resolve"/>.</summary>
    public static Task<SqliteRegistryStore> OpenAsync(string dataDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDirectory);
        return OpenFileAsync(DataDirectory.RegistryPath(dataDirectory), ct);
    }

    /// <summary>Opens a database file: WAL journal, foreign keys, pending migrations applied.</summary>
    public static async Task<SqliteRegistryStore> OpenFileAsync(string path, CancellationToken ct)
    {
        var db = new SqliteDb(path);
        await using (var c = await db.OpenAsync(ct))
        {
            await Sql.ExecuteAsync(c, null, "PRAGMA journal_mode=WAL;", ct);
            await Migrations.ApplyAsync(c, ct);
        }

        return new SqliteRegistryStore(db);
    }

    /// <summary>Takes the write lock (BEGIN IMMEDIATE) and rolls back: the same lock every stamp's commit needs.</summary>
    public async Task<string?> WriteProblemAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
            {
                DataSource = _db.Path,
                Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            }.ToString());
            await c.OpenAsync(ct);
            await Sql.ExecuteAsync(c, null, "BEGIN IMMEDIATE; ROLLBACK;", ct);
            return null;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            return $"the registry database takes no write: {e.Message}";
        }
    }

    /// <summary>Applied schema version (for diagnostics and tests).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        return (int)await Sql.ScalarAsync(c, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", ct);
    }

    public async Task<RegistrySnapshot> LoadStampViewAsync(string sealId, string matterId, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // one consistent read
        var seal = await _seals.GetAsOfAsync(c, sealId, at, ct, tx);
        Matter? matter;
        await using (var cmd = Sql.Command(c, tx, $"SELECT {string.Join(", ", MatterStore.Columns)} FROM matters WHERE id = $id", ("$id", matterId)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            matter = await r.ReadAsync(ct) ? MatterStore.ReadRow(r) : null;
        }

        var agreements = seal?.HoldingTownshipId is { } township && matter is not null
            ? await _agreements.CoveringAsOfAsync(c, tx, township, matterId, at, ct)
            : [];
        return new RegistrySnapshot(seal is null ? [] : [seal], matter is null ? [] : [matter], agreements);
    }

    public async Task<CatalogueImportResult> ImportCatalogueAsync(CatalogueBatch batch, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction();
        await _regions.InsertIfAbsentAsync(c, tx, batch.Region, ct);
        foreach (var d in batch.Departments)
        {
            await _departments.InsertIfAbsentAsync(c, tx, d, ct);
        }

        int inserted = 0, updated = 0, unchanged = 0;
        var columns = string.Join(", ", MatterStore.Columns);
        var insert = $"INSERT INTO matters ({columns}) VALUES ({string.Join(", ", MatterStore.Columns.Select((_, i) => $"$p{i}"))})";
        var update = $"UPDATE matters SET {string.Join(", ", MatterStore.Columns.Skip(1).Select((col, i) => $"{col} = $p{i + 1}"))} WHERE id = $p0";
        foreach (var matter in batch.Matters)
        {
            Matter? existing;
            await using (var cmd = Sql.Command(c, tx, $"SELECT {columns} FROM matters WHERE source_file = $f AND source_seq = $s",
                ("$f", matter.Source!.File), ("$s", matter.Source.Seq)))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                existing = await r.ReadAsync(ct) ? MatterStore.ReadRow(r) : null;
            }

            var row = MatterStore.Row(existing is null ? matter : matter with { Id = existing.Id });
            if (existing is null)
            {
                await Sql.Guard(() => Sql.ExecuteAsync(c, tx, insert, ct, Params(row)), $"matter {matter.Id}");
                inserted++;
            }
            else if (!row.SequenceEqual(MatterStore.Row(existing)))
            {
                await Sql.ExecuteAsync(c, tx, update, ct, Params(row));
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        await tx.CommitAsync(ct);
        return new CatalogueImportResult(batch.File, inserted, updated, unchanged);
    }

    public async Task<int> SeedAsync(RegistrySeed seed, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction();
        var n = 0;
        foreach (var x in seed.Regions)
        {
            n += await _regions.InsertIfAbsentAsync(c, tx, x, ct);
        }

        foreach (var x in seed.Departments)
        {
            n += await _departments.InsertIfAbsentAsync(c, tx, x, ct);
        }

        foreach (var x in seed.Townships)
        {
            n += await _townships.InsertIfAbsentAsync(c, tx, x, ct);
        }

        foreach (var x in seed.VillageStations)
        {
            n += await _stations.InsertIfAbsentAsync(c, tx, x, ct);
        }

        foreach (var x in seed.Agreements)
        {
            n += await _agreements.InsertIfAbsentAsync(c, tx, x, ct);
        }

        foreach (var x in seed.Seals)
        {
            n += await _seals.InsertIfAbsentAsync(c, tx, x, ct);
        }

        await tx.CommitAsync(ct);
        return n;
    }

    private static (string, object?)[] Params(object?[] row) => [.. row.Select((v, i) => ($"$p{i}", v))];
}
