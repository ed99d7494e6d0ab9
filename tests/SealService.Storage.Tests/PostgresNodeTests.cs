using SealService.Domain.Stamping;
using SealService.Storage.Postgres;

namespace SealService.Storage.Tests;

/// <summary>Several stamping stores (nodes) over one real PostgreSQL database: numbers, gone nodes, idempotency holds.</summary>
public sealed class PostgresNodeTests(PostgresEngine engine) : IClassFixture<PostgresEngine>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Two_nodes_allocating_at_once_never_hand_out_the_same_number()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var a = Node(t, "a", blockSize: 3);
        await using var b = Node(t, "b", blockSize: 5);
        await a.VoidInterruptedAsync(default);
        await b.VoidInterruptedAsync(default);
        var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            (await (i % 2 == 0 ? a : b).AllocateNumberAsync("seal-mudan-spj-shatu", 2026, $"doc-{i}", TestStore.Start, s => $"{s}", default)).Sequence)));
        Assert.Equal(200, numbers.Distinct().Count());
        // Blocks are reserved under each node's own name and never overlap.
        Assert.Equal(0, await t.ScalarAsync("""
            SELECT COUNT(*) FROM number_blocks x JOIN number_blocks y
              ON x.seal_id = y.seal_id AND x.year = y.year AND x.first_seq < y.first_seq AND x.last_seq >= y.first_seq
            """));
        Assert.Equal(2, await t.ScalarAsync("SELECT COUNT(DISTINCT owner) FROM number_blocks"));
    }

    [Fact]
    public async Task The_blocks_of_a_node_gone_past_its_lease_are_closed_and_a_live_nodes_are_not()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var live = Node(t, "live", blockSize: 10);
        await live.VoidInterruptedAsync(default);
        var mine = await live.AllocateNumberAsync("seal-mudan-spj-shatu", 2026, "doc-live", TestStore.Start, s => $"{s}", default);

        // A node that died (SIGKILL) 20 s ago with an open block of 10, two of whose numbers were written.
        await t.ExecuteAsync("""
            INSERT INTO storage_nodes(node, started_at, heartbeat_at, lease_seconds)
            VALUES ('dead/0001', now() - interval '1 hour', now() - interval '20 seconds', 15);
            INSERT INTO number_blocks(seal_id, year, first_seq, last_seq, reserved_ticks, owner) VALUES ('seal-mudan-spj-shatu', 2026, 100, 109, 0, 'dead/0001');
            INSERT INTO document_numbers(seal_id, year, seq, number, document_id, state, allocated_ticks)
            VALUES ('seal-mudan-spj-shatu', 2026, 100, '100', 'doc-d1', 'void', 0), ('seal-mudan-spj-shatu', 2026, 101, '101', 'doc-d2', 'void', 0);
            """);
        // A node silent for only 5 s of its 15 s lease is alive: its block stays open.
        await t.ExecuteAsync("""
            INSERT INTO storage_nodes(node, started_at, heartbeat_at, lease_seconds) VALUES ('slow/0002', now(), now() - interval '5 seconds', 15);
            INSERT INTO number_blocks(seal_id, year, first_seq, last_seq, reserved_ticks, owner) VALUES ('seal-mudan-spj-shatu', 2026, 200, 209, 0, 'slow/0002');
            """);

        Assert.Equal(8, await live.SweepGoneNodesAsync(default));
        Assert.Equal(8, await t.ScalarAsync("SELECT unused FROM number_blocks WHERE owner = 'dead/0001' AND closed_ticks IS NOT NULL"));
        Assert.Equal(0, await t.ScalarAsync("SELECT COUNT(*) FROM storage_nodes WHERE node = 'dead/0001'"));
        Assert.Equal(1, await t.ScalarAsync("SELECT COUNT(*) FROM number_blocks WHERE owner = 'slow/0002' AND closed_ticks IS NULL"));
        Assert.Equal(1, await t.ScalarAsync($"SELECT COUNT(*) FROM number_blocks WHERE owner = '{live.Node}' AND closed_ticks IS NULL"));
        Assert.Equal(0, await live.SweepGoneNodesAsync(default)); // nothing twice

        // The live node's number still commits; a number of the closed block never does.
        var seal = await Shatu(t);
        await live.CommitStampAsync(StampingStoreTestsContract.Commit(seal, mine, "key-live"), default);
        var orphan = new NumberAllocation("seal-mudan-spj-shatu", 2026, 105, "105", "doc-orphan");
        await Assert.ThrowsAsync<InvalidOperationException>(() => live.CommitStampAsync(StampingStoreTestsContract.Commit(seal, orphan, "key-orphan"), default));
    }

    [Fact]
    public async Task A_node_that_stops_leaves_cleanly_and_its_unused_numbers_are_void()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var a = Node(t, "a", blockSize: 4);
        await a.VoidInterruptedAsync(default);
        await a.AllocateNumberAsync("seal-mudan-spj-shatu", 2026, "doc-1", TestStore.Start, s => $"{s}", default);
        Assert.Equal(1, await t.ScalarAsync("SELECT COUNT(*) FROM storage_nodes"));
        await a.DisposeAsync();
        Assert.Equal(0, await t.ScalarAsync("SELECT COUNT(*) FROM storage_nodes"));
        Assert.Equal(4, await t.ScalarAsync("SELECT unused FROM number_blocks WHERE closed_ticks IS NOT NULL"));
    }

    [Fact]
    public async Task An_idempotency_key_held_by_one_live_node_waits_on_the_other_and_a_gone_nodes_hold_is_taken_over()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var a = Node(t, "a");
        await using var b = Node(t, "b");
        await a.VoidInterruptedAsync(default);
        await b.VoidInterruptedAsync(default);

        var held = await a.HoldIdempotencyKeyAsync("key-1", default);
        var waiting = b.HoldIdempotencyKeyAsync("key-1", default);
        var other = await b.HoldIdempotencyKeyAsync("key-2", default); // another key is not blocked
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))
            Assert.Equal(1, await t.ScalarAsync($"SELECT COUNT(*) FROM idempotency_holds WHERE key = 'key-1' AND node = '{b.Node}'"));
        await other.DisposeAsync();
        Assert.Equal(0, await t.ScalarAsync("SELECT COUNT(*) FROM idempotency_holds"));

        // A hold left by a node that is gone (past its lease) does not block anyone.
        await t.ExecuteAsync("""
            INSERT INTO storage_nodes(node, started_at, heartbeat_at, lease_seconds) VALUES ('dead/0003', now(), now() - interval '1 minute', 15);
            INSERT INTO idempotency_holds(key, node, since) VALUES ('key-3', 'dead/0003', now());
            """);
        await using (await b.HoldIdempotencyKeyAsync("key-3", default).WaitAsync(TimeSpan.FromSeconds(10)))
            Assert.Equal(1, await t.ScalarAsync($"SELECT COUNT(*) FROM idempotency_holds WHERE key = 'key-3' AND node = '{b.Node}'"));
    }

    [Fact]
    public async Task Fifty_concurrent_holders_of_one_key_on_three_nodes_never_overlap()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var nodes = new[] { Node(t, "a"), Node(t, "b"), Node(t, "c") };
        foreach (var n in nodes)
            await n.VoidInterruptedAsync(default);
        var locks = nodes.Select(_ => new SemaphoreSlim(1, 1)).ToArray(); // the stamping service's in-process lock per node
        int inside = 0, most = 0, done = 0;
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await locks[i % 3].WaitAsync();
            try
            {
                await using (await nodes[i % 3].HoldIdempotencyKeyAsync("key-busy", default))
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref most, now);
                    await Task.Delay(5);
                    Interlocked.Decrement(ref inside);
                    Interlocked.Increment(ref done);
                }
            }
            finally
            {
                locks[i % 3].Release();
            }
        })));
        Assert.Equal((50, 1), (done, most));
        foreach (var n in nodes)
            await n.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static PostgresStampingStore Node(TestStore t, string name, int blockSize = 16) =>
        new((PostgresRegistryStore)t.Store, name + "/" + Guid.NewGuid().ToString("N")[..8], Lease, numberBlockSize: blockSize);

    private static async Task<Domain.Model.Seal> Shatu(TestStore t) => (await t.Store.Seals.GetAsync("seal-mudan-spj-shatu", default))!;
}
