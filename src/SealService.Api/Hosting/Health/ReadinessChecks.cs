using Microsoft.Extensions.Diagnostics.HealthChecks;
using SealService.Api.Stamping;
using SealService.Domain.Ports;
using SealService.Keys.Store;

namespace SealService.Api.Hosting.Health;

/// <summary>The registry database takes a write (the lock every stamp's commit needs) within two seconds.</summary>
internal sealed class DatabaseWritableCheck(IStoreHealthProbe store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.WriteProblemAsync(TimeSpan.FromSeconds(2), cancellationToken) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy("the registry database takes writes");
}

/// <summary>The seal-use ledger's writer runs (stamps wait on it); reports its size, unsigned entries and latest head's time. Off (Ledger:Enabled=false) is healthy.</summary>
internal sealed class LedgerSequencingCheck(IServiceProvider services) : IHealthCheck
{
    /// <summary>Description when the ledger is turned off.</summary>
    public const string Off = "the ledger is turned off";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<LedgerJournal>()?.Ledger is not { } ledger)
            return Task.FromResult(HealthCheckResult.Healthy(Off));
        var data = new Dictionary<string, object> { ["size"] = ledger.Size, ["unsigned"] = ledger.UnsignedEntries, ["signsHeads"] = ledger.IssuesHeads };
        if (ledger.LatestTreeHead is { } head)
            data["latestTreeHead"] = head.Timestamp;
        return Task.FromResult(ledger.IsWriting
            ? HealthCheckResult.Healthy("the ledger writer runs", data)
            : HealthCheckResult.Unhealthy("the ledger writer has stopped: stamps cannot be recorded", data: data));
    }
}

/// <summary>
/// Redis, the nodes' change feed: without it the node still decides correctly, from the database every time (slower),
/// so it is degraded, not unhealthy.
/// </summary>
internal sealed class RegistryFeedCheck(Coordination.Redis.RegistryChangeFeed feed, Coordination.Redis.CachingRegistryStore views) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (hits, misses) = views.Counts;
        var data = new Dictionary<string, object> { ["viewHits"] = hits, ["viewMisses"] = misses, ["gaps"] = feed.Gaps };
        return Task.FromResult(feed.IsTrusted
            ? HealthCheckResult.Healthy("registry changes are announced through Redis; decisions use views in memory", data)
            : HealthCheckResult.Degraded("Redis cannot be reached: every decision reads the database", data: data));
    }
}

/// <summary>Seal keys can be read (a store without keys cannot sign).</summary>
internal sealed class KeyStoreCheck(ISealKeyStore keys) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await keys.ProblemAsync(cancellationToken) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy("seal keys can be read");
}
