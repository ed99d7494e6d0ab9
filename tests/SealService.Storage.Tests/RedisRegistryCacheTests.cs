using System.Diagnostics;
using SealService.Coordination.Redis;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.TestSupport;
using Xunit.Abstractions;

namespace SealService.Storage.Tests;

/// <summary>
/// Two nodes' registry views over one PostgreSQL database with a real redis-server as the change feed: a revocation made
/// through one is seen by the other within 100 ms, and without Redis every decision reads the database.
/// </summary>
public sealed class RedisRegistryCacheTests(PostgresEngine engine, ITestOutputHelper output) : IClassFixture<PostgresEngine>
{
    private const string Seal = "seal-mudan-spj-shatu";
    private const string Matter = "mat-heze-mudan-001";
    private static readonly Caller Officer = new(CallerRole.DepartmentOfficer, "李科长", DepartmentId: "dept-mudan-spj");

    [Fact]
    public async Task A_revocation_through_one_node_reaches_the_others_view_within_100_ms()
    {
        using var redis = new RedisServer();
        await using var t = await TestStore.CreateAsync(engine);
        await using var feedA = await RegistryChangeFeed.ConnectAsync(redis.Configuration);
        await using var feedB = await RegistryChangeFeed.ConnectAsync(redis.Configuration);
        var a = new CachingRegistryStore(t.Store, feedA, TimeProvider.System, TimeSpan.FromMinutes(5));
        var b = new CachingRegistryStore(t.Store, feedB, TimeProvider.System, TimeSpan.FromMinutes(5));
        Assert.True(feedA.IsTrusted && feedB.IsTrusted);

        // B's decisions come from memory once read.
        Assert.Equal(SealStatus.Active, (await ViewAsync(b)).FindSeal(Seal)!.Status);
        Assert.Equal(SealStatus.Active, (await ViewAsync(b)).FindSeal(Seal)!.Status);
        Assert.Equal((1L, 1L), b.Counts);

        await new SealRegistryService(a, TimeProvider.System).RevokeAsync(Officer, Seal, "注销", default);
        var committed = Stopwatch.StartNew();
        while ((await ViewAsync(b)).FindSeal(Seal)!.Status != SealStatus.Revoked)
        {
            Assert.True(committed.Elapsed < TimeSpan.FromSeconds(5), "node B never heard of the revocation");
            await Task.Delay(1);
        }

        var heard = committed.Elapsed;
        output.WriteLine($"revocation visible in node B's view {heard.TotalMilliseconds:0.0} ms after node A's commit returned");
        Assert.True(heard < TimeSpan.FromMilliseconds(100), $"{heard.TotalMilliseconds} ms");
        Assert.Equal(0, feedB.Gaps);
    }

    [Fact]
    public async Task Without_Redis_every_decision_reads_the_database_and_a_change_is_seen_at_once()
    {
        var redis = new RedisServer();
        await using var t = await TestStore.CreateAsync(engine);
        await using var feed = await RegistryChangeFeed.ConnectAsync(redis.Configuration);
        var b = new CachingRegistryStore(t.Store, feed, TimeProvider.System, TimeSpan.FromMinutes(5));
        await ViewAsync(b);
        await ViewAsync(b);
        Assert.Equal((1L, 1L), b.Counts);

        redis.Kill();
        var lost = Stopwatch.StartNew();
        while (feed.IsTrusted && lost.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(10);
        Assert.False(feed.IsTrusted);
        redis.Dispose();

        // A change made by a node that could not announce it (Redis is down): the next decision sees it.
        await new SealRegistryService(t.Store, TimeProvider.System).SuspendAsync(Officer, Seal, "送检", default);
        Assert.Equal(SealStatus.Suspended, (await ViewAsync(b)).FindSeal(Seal)!.Status);
        Assert.Equal(SealStatus.Suspended, (await ViewAsync(b)).FindSeal(Seal)!.Status);
        Assert.Equal((1L, 3L), b.Counts); // nothing from memory while the feed is not trusted
    }

    private static Task<RegistrySnapshot> ViewAsync(CachingRegistryStore store) =>
        store.LoadStampViewAsync(Seal, Matter, DateTimeOffset.UtcNow, default);
}
