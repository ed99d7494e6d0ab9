using SealService.Domain.Catalogue;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

/// <summary>
/// The registry over one SQL database (the engine's differences are in <see cref="SqlDatabase"/>). Thread-safe: every
/// call uses its own pooled connection. Engines subclass it to open the database and apply their migrations.
/// </summary>
public abstract class RelationalRegistryStore : IRegistryStore, IStoreHealthProbe
{
    private readonly SqlDatabase _db;
    private readonly RegionStore _regions;
    private readonly DepartmentStore _departments;
    private readonly TownshipStore _townships;
    private readonly VillageStationStore _stations;
    private readonly MatterStore _matters;
    private readonly AgreementStore _agreements;
    private readonly SealStore _seals;

    protected RelationalRegistryStore(SqlDatabase db)
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

    /// <summary>The database the stamping store, outbox and audit queries share with the registry.</summary>
    public SqlDatabase Database => _db;

    public IEntityStore<Region> Regions => _regions;

    public IEntityStore<Department> Departments => _departments;

    public IEntityStore<Township> Townships => _townships;

    public IEntityStore<VillageStation> VillageStations => _stations;

    public IEntityStore<Matter> Matters => _matters;

    public IAgreementStore Agreements => _agreements;

    public IVersionedStore<Seal> Seals => _seals;

    /// <summary>Null when a write transaction can start within <paramref name="timeout"/>; else what stops it.</summary>
    public abstract Task<string?> WriteProblemAsync(TimeSpan timeout, CancellationToken ct);

    /// <summary>Applied schema version (for diagnostics and tests).</summary>
    public abstract Task<int> SchemaVersionAsync(CancellationToken ct);

    public async Task<RegistrySnapshot> LoadStampViewAsync(string sealId, string matterId, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = await _db.BeginReadAsync(c, ct); // one consistent read
        var seal = await _seals.GetAsOfAsync(c, sealId, at, ct, tx);
        Matter? matter;
        await using (var cmd = Sql.Command(c, tx, $"SELECT {string.Join(", ", MatterStore.Columns)} FROM matters WHERE id = @id", ("@id", matterId)))
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
        await using var tx = await _db.BeginWriteAsync(c, ct);
        await _db.SerializeAsync(c, tx, "catalogue-import", ct);
        await _regions.InsertIfAbsentAsync(c, tx, batch.Region, ct);
        foreach (var d in batch.Departments)
        {
            await _departments.InsertIfAbsentAsync(c, tx, d, ct);
        }

        int inserted = 0, updated = 0, unchanged = 0;
        var columns = string.Join(", ", MatterStore.Columns);
        var insert = $"INSERT INTO matters ({columns}) VALUES ({string.Join(", ", MatterStore.Columns.Select((_, i) => $"@p{i}"))})";
        var update = $"UPDATE matters SET {string.Join(", ", MatterStore.Columns.Skip(1).Select((col, i) => $"{col} = @p{i + 1}"))} WHERE id = @p0";
        foreach (var matter in batch.Matters)
        {
            Matter? existing;
            await using (var cmd = Sql.Command(c, tx, $"SELECT {columns} FROM matters WHERE source_file = @f AND source_seq = @s",
                ("@f", matter.Source!.File), ("@s", matter.Source.Seq)))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                existing = await r.ReadAsync(ct) ? MatterStore.ReadRow(r) : null;
            }

            var row = MatterStore.Row(existing is null ? matter : matter with { Id = existing.Id });
            if (existing is null)
            {
                await _db.Guard(() => Sql.ExecuteAsync(c, tx, insert, ct, Sql.Params(row)), $"matter {matter.Id}");
                inserted++;
            }
            else if (!row.SequenceEqual(MatterStore.Row(existing)))
            {
                await Sql.ExecuteAsync(c, tx, update, ct, Sql.Params(row));
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
        await using var tx = await _db.BeginWriteAsync(c, ct);
        await _db.SerializeAsync(c, tx, "registry-seed", ct);
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
}
