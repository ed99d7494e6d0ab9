using Microsoft.Data.Sqlite;
using Npgsql;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Storage.Postgres;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;
using SealService.TestSupport;

namespace SealService.Storage.Tests;

/// <summary>A settable clock: tests move time forward explicitly, never read the wall clock.</summary>
internal sealed class MutableClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public DateTimeOffset Advance(TimeSpan by) => Now += by;
}

/// <summary>One storage adapter the contract suite runs against: a fresh, empty database per call.</summary>
public interface IStoreEngine
{
    Task<RelationalRegistryStore> CreateAsync(string directory);

    RelationalStampingStore Stamping(RelationalRegistryStore store, int numberBlockSize);

    Task DropAsync(RelationalRegistryStore store);
}

/// <summary>The embedded adapter: a registry file in the test's temp folder.</summary>
public sealed class SqliteEngine : IStoreEngine
{
    public async Task<RelationalRegistryStore> CreateAsync(string directory) => await SqliteRegistryStore.OpenAsync(directory, CancellationToken.None);

    public RelationalStampingStore Stamping(RelationalRegistryStore store, int numberBlockSize) =>
        new SqliteStampingStore((SqliteRegistryStore)store, numberBlockSize: numberBlockSize);

    public Task DropAsync(RelationalRegistryStore store)
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

/// <summary>The PostgreSQL adapter: one real server per test class (this fixture), a new database per test.</summary>
public sealed class PostgresEngine : IStoreEngine, IDisposable
{
    private readonly PostgresServer _server = new();
    private readonly NpgsqlDataSource _admin;
    private int _databases;

    public PostgresEngine() => _admin = NpgsqlDataSource.Create(_server.ConnectionString());

    public async Task<RelationalRegistryStore> CreateAsync(string directory) =>
        await PostgresRegistryStore.OpenAsync(await CreateDatabaseAsync(), CancellationToken.None);

    /// <summary>A new, empty database on the class's server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Interlocked.Increment(ref _databases);
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {name}"))
            await create.ExecuteNonQueryAsync();
        return _server.ConnectionString(name);
    }

    public RelationalStampingStore Stamping(RelationalRegistryStore store, int numberBlockSize) =>
        new PostgresStampingStore((PostgresRegistryStore)store, "node-a", TimeSpan.FromSeconds(15), numberBlockSize: numberBlockSize);

    public async Task DropAsync(RelationalRegistryStore store) => await ((PostgresRegistryStore)store).DisposeAsync();

    public void Dispose()
    {
        _admin.Dispose();
        _server.Dispose();
    }
}

/// <summary>A real registry database of one engine (SQLite in a fresh temp directory, or a fresh PostgreSQL database).</summary>
internal sealed class TestStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, ChinaTime.Offset);

    public static readonly Caller Admin = new(CallerRole.RegistryAdmin, "管理员");

    private readonly IStoreEngine _engine;

    private TestStore(IStoreEngine engine, string dir, RelationalRegistryStore store, MutableClock clock)
    {
        _engine = engine;
        Directory = dir;
        Store = store;
        Clock = clock;
    }

    public string Directory { get; }

    public RelationalRegistryStore Store { get; }

    public MutableClock Clock { get; }

    public AgreementService Agreements => new(Store, Clock);

    public SealRegistryService Seals => new(Store, Clock);

    public StampCheckService Stamps => new(Store, Clock);

    public TownshipListService Lists => new(Store, Clock);

    public OrganisationService Organisation => new(Store);

    public static async Task<TestStore> CreateAsync(IStoreEngine engine, bool seed = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sealservice-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var clock = new MutableClock(Start);
        var store = await engine.CreateAsync(dir);
        var t = new TestStore(engine, dir, store, clock);
        if (seed)
        {
            await new RegistryBootstrap(store, clock).EnsureSeededAsync(demo: true, CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        return t;
    }

    public RelationalStampingStore Stamping(int numberBlockSize = RelationalStampingStore.DefaultNumberBlockSize) =>
        _engine.Stamping(Store, numberBlockSize);

    /// <summary>A number read straight from the database (what the store wrote, not what it answers).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var c = await Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs SQL straight on the database (to set up what another node or an earlier run left).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var c = await Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DropAsync(Store);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp dir is harmless
        }
    }
}
