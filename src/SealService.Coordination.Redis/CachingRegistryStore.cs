using System.Collections.Concurrent;
using SealService.Domain.Catalogue;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Coordination.Redis;

/// <summary>
/// The registry store with this node's views for the hot path kept in memory: a stamp decision's view (seal, matter,
/// covering agreements) is served from memory while the change feed is trusted, nothing changed since it was read, and
/// it is younger than <c>maxAge</c>. Every write through this store announces itself. Otherwise it reads the database:
/// it fails towards fresh data, never towards a stale allow (and a stamp's commit re-checks the versions it rests on).
/// </summary>
public sealed class CachingRegistryStore : IRegistryStore
{
    /// <summary>Views kept at most; past that the cache starts over (a county has a few hundred seal × matter pairs in use).</summary>
    private const int MaxEntries = 20_000;

    private readonly IRegistryStore _inner;
    private readonly RegistryChangeFeed _feed;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly ConcurrentDictionary<(string Seal, string Matter), Entry> _views = new();
    private long _added;
    private long _hits;
    private long _misses;

    public CachingRegistryStore(IRegistryStore inner, RegistryChangeFeed feed, TimeProvider time, TimeSpan maxAge)
    {
        _inner = inner;
        _feed = feed;
        _time = time;
        _maxAge = maxAge;
        Matters = new AnnouncedEntities<Matter>(inner.Matters, feed);
        Agreements = new AnnouncedAgreements(inner.Agreements, feed);
        Seals = new AnnouncedVersions<Seal>(inner.Seals, feed);
    }

    /// <summary>Decisions answered from memory, and from the database.</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    public IEntityStore<Region> Regions => _inner.Regions;

    public IEntityStore<Department> Departments => _inner.Departments;

    public IEntityStore<Township> Townships => _inner.Townships;

    public IEntityStore<VillageStation> VillageStations => _inner.VillageStations;

    public IEntityStore<Matter> Matters { get; }

    public IAgreementStore Agreements { get; }

    public IVersionedStore<Seal> Seals { get; }

    public async Task<RegistrySnapshot> LoadStampViewAsync(string sealId, string matterId, DateTimeOffset at, CancellationToken ct)
    {
        var generation = _feed.Generation; // read first: a change heard during the load makes the entry stale at once
        var trusted = _feed.IsTrusted;
        var now = _time.GetUtcNow();
        if (trusted && _views.TryGetValue((sealId, matterId), out var e)
            && e.Generation == generation && at >= e.At && now - e.LoadedAt < _maxAge)
        {
            Interlocked.Increment(ref _hits);
            return e.View;
        }

        Interlocked.Increment(ref _misses);
        var view = await _inner.LoadStampViewAsync(sealId, matterId, at, ct);
        // Only a view of the present is worth keeping (a dry run "as of last year" is not the hot path).
        if (trusted && at >= now - _maxAge)
        {
            // ConcurrentDictionary.Count takes every lock: count additions instead (approximate is enough for a bound).
            if (Interlocked.Increment(ref _added) > MaxEntries)
            {
                _views.Clear();
                Interlocked.Exchange(ref _added, 0);
            }

            _views[(sealId, matterId)] = new Entry(view, generation, at, now);
        }

        return view;
    }

    public async Task<CatalogueImportResult> ImportCatalogueAsync(CatalogueBatch batch, CancellationToken ct)
    {
        var result = await _inner.ImportCatalogueAsync(batch, ct);
        await _feed.PublishAsync();
        return result;
    }

    public async Task<int> SeedAsync(RegistrySeed seed, CancellationToken ct)
    {
        var n = await _inner.SeedAsync(seed, ct);
        await _feed.PublishAsync();
        return n;
    }

    private sealed record Entry(RegistrySnapshot View, long Generation, DateTimeOffset At, DateTimeOffset LoadedAt);

    private class AnnouncedVersions<T>(IVersionedStore<T> inner, RegistryChangeFeed feed) : IVersionedStore<T>
        where T : class
    {
        public Task<T?> GetAsync(string id, CancellationToken ct) => inner.GetAsync(id, ct);

        public Task<T?> GetAsOfAsync(string id, DateTimeOffset at, CancellationToken ct) => inner.GetAsOfAsync(id, at, ct);

        public Task<IReadOnlyList<T>> GetHistoryAsync(string id, CancellationToken ct) => inner.GetHistoryAsync(id, ct);

        public Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct) => inner.ListAsync(filter, page, ct);

        public async Task AppendAsync(T version, CancellationToken ct)
        {
            await inner.AppendAsync(version, ct);
            await feed.PublishAsync();
        }
    }

    private sealed class AnnouncedAgreements(IAgreementStore inner, RegistryChangeFeed feed)
        : AnnouncedVersions<DelegationAgreement>(inner, feed), IAgreementStore
    {
        public Task<IReadOnlyList<DelegationAgreement>> ListForTownshipAsOfAsync(string townshipId, DateTimeOffset at, CancellationToken ct) =>
            inner.ListForTownshipAsOfAsync(townshipId, at, ct);
    }

    private sealed class AnnouncedEntities<T>(IEntityStore<T> inner, RegistryChangeFeed feed) : IEntityStore<T>
        where T : class
    {
        public Task<T?> GetAsync(string id, CancellationToken ct) => inner.GetAsync(id, ct);

        public Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct) => inner.ListAsync(filter, page, ct);

        public Task<IReadOnlyList<T>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct) => inner.GetManyAsync(ids, ct);

        public async Task AddAsync(T entity, CancellationToken ct)
        {
            await inner.AddAsync(entity, ct);
            await feed.PublishAsync();
        }

        public async Task UpdateAsync(T entity, CancellationToken ct)
        {
            await inner.UpdateAsync(entity, ct);
            await feed.PublishAsync();
        }

        public async Task DeleteAsync(string id, CancellationToken ct)
        {
            await inner.DeleteAsync(id, ct);
            await feed.PublishAsync();
        }
    }
}
