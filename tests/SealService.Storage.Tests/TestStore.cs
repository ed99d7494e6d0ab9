using Microsoft.Data.Sqlite;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Storage.Sqlite;

namespace SealService.Storage.Tests;

/// <summary>A settable clock: tests move time forward explicitly, never read the wall clock.</summary>
internal sealed class MutableClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public DateTimeOffset Advance(TimeSpan by) => Now += by;
}

/// <summary>A real SQLite registry file in a fresh temp directory, deleted afterwards.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, ChinaTime.Offset);

    public static readonly Caller Admin = new(CallerRole.RegistryAdmin, "管理员");

    private TestStore(string dir, SqliteRegistryStore store, MutableClock clock)
    {
        Directory = dir;
        Store = store;
        Clock = clock;
    }

    public string Directory { get; }

    public SqliteRegistryStore Store { get; }

    public MutableClock Clock { get; }

    public AgreementService Agreements => new(Store, Clock);

    public SealRegistryService Seals => new(Store, Clock);

    public StampCheckService Stamps => new(Store, Clock);

    public TownshipListService Lists => new(Store, Clock);

    public OrganisationService Organisation => new(Store);

    public static async Task<TestStore> CreateAsync(bool seed = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sealservice-tests", Guid.NewGuid().ToString("N"));
        var clock = new MutableClock(Start);
        var store = await SqliteRegistryStore.OpenAsync(dir, CancellationToken.None);
        var t = new TestStore(dir, store, clock);
        if (seed)
        {
            await new RegistryBootstrap(store, clock).EnsureSeededAsync(demo: true, CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        return t;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp dir is harmless
        }

        return ValueTask.CompletedTask;
    }
}
