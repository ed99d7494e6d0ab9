using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SealService.Api.Tests.Infrastructure;
using SealService.TestSupport;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.MultiNode;

/// <summary>
/// Three nodes over one PostgreSQL database stamping at once: numbers never collide or repeat, a retried key gives one
/// document, a node killed mid-burst loses no answered stamp and its unused numbers are voided by the others.
/// </summary>
public sealed class MultiNodeStampingTests(Cluster cluster) : IClassFixture<Cluster>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Seal = "seal-mudan-spj-shatu";
    private static readonly string ClerkToken = Tokens.For("township-clerk", "张三", township: Shatu);

    [Fact]
    public async Task Six_hundred_concurrent_stamps_over_three_nodes_get_distinct_numbers_and_all_are_stored()
    {
        using var nodes = await cluster.StartAsync();
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        var answers = await Task.WhenAll(Enumerable.Range(0, 600).Select(i => StampAsync(clients[i % 3], $"MN-{i:0000}")));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, $"{a.Status}: {a.Sha256}"));
        Assert.Equal(600, answers.Select(a => a.Number).Distinct().Count());
        Assert.Equal(600, answers.Select(a => a.DocumentId).Distinct().Count());
        Assert.Equal(600, await nodes.ScalarAsync("SELECT COUNT(*) FROM documents"));
        Assert.Equal(600, await nodes.ScalarAsync($"SELECT COUNT(*) FROM document_numbers WHERE seal_id = '{Seal}' AND state = 'used'"));
        // Every node took part, each from blocks of its own.
        Assert.Equal(3, await nodes.ScalarAsync("SELECT COUNT(DISTINCT owner) FROM number_blocks"));

        // Every stamp is in the ledger, once, with its own index, and the ledger verifies (from node 3's copy of the tree).
        Assert.Equal(600, await nodes.SettledLedgerAsync(node: 2));
        Assert.Equal(0, await nodes.ScalarAsync("SELECT COUNT(*) FROM seal_uses WHERE ledger_index IS NULL"));
        Assert.Equal(600, await nodes.ScalarAsync("SELECT COUNT(DISTINCT ledger_index) FROM seal_uses"));

        // Any node serves any node's document.
        var doc = answers[1]; // stamped through node 2
        var bytes = await clients[2].Download(doc.DocumentId);
        Assert.Equal(doc.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task Fifty_concurrent_retries_of_one_key_over_three_nodes_give_one_document()
    {
        using var nodes = await cluster.StartAsync();
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        var request = Template(Seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "MN-RETRY-1");
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await clients[i % 3].StampJson(request, key: "retry-key-1");
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Body: body);
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{a.StatusCode}: {a.Body}"));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => JsonDocument.Parse(a.Body).RootElement.Str("documentId")).Distinct());
        Assert.Equal(1, await nodes.ScalarAsync("SELECT COUNT(*) FROM seal_uses WHERE case_number = 'MN-RETRY-1'"));
        // No number wasted: the retries waited for the first instead of stamping in parallel.
        Assert.True(await nodes.ScalarAsync("SELECT COUNT(*) FROM document_numbers WHERE state = 'void'") == 0,
            await nodes.TextAsync("SELECT string_agg(void_reason, ' | ') FROM document_numbers WHERE state = 'void'"));
        Assert.Equal(0, await nodes.ScalarAsync("SELECT COUNT(*) FROM idempotency_holds"));
    }

    [Fact]
    public Task A_node_killed_mid_burst_loses_no_answered_stamp_and_its_unused_numbers_become_void() =>
        KillMidBurstAsync(_ => Task.FromResult(1), "MN-KILL");

    [Fact]
    public Task The_sequencers_node_killed_mid_burst_is_taken_over_and_no_answered_stamp_is_lost() =>
        KillMidBurstAsync(async nodes =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            int holder;
            while ((holder = await nodes.SequencerAsync()) < 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.True(holder >= 0, "no node holds the sequencer");
            return holder;
        }, "MN-SEQ");

    /// <summary>
    /// 600 concurrent stamps over three nodes; once the victim has answered ten, it is killed with SIGKILL. Every 201 is stored with
    /// a distinct number and reaches the ledger (a surviving node sequences), the victim's blocks are closed by the others.
    /// </summary>
    private async Task KillMidBurstAsync(Func<Cluster.Nodes, Task<int>> pickVictim, string prefix)
    {
        using var nodes = await cluster.StartAsync();
        var victim = await pickVictim(nodes);
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        var answeredByVictim = 0;
        var killed = new TaskCompletionSource();
        var answers = new ConcurrentBag<Stamped>();
        var lost = 0;
        var burst = Enumerable.Range(0, 600).Select(async i =>
        {
            try
            {
                var answer = await StampAsync(clients[i % 3], $"{prefix}-{i:0000}");
                answers.Add(answer);
                if (i % 3 == victim && Interlocked.Increment(ref answeredByVictim) == 10)
                {
                    nodes[victim].Kill(); // SIGKILL mid-burst: no clean leave, its open blocks stay until swept
                    killed.SetResult();
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref lost); // sent to the dead node
            }
        });
        await Task.WhenAll(burst);
        await killed.Task;
        var live = Enumerable.Range(0, 3).First(i => i != victim);

        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, $"{a.Status}: {a.Sha256}"));
        Assert.InRange(created.Count, 410, 599); // the live nodes answered all theirs, the victim some
        Assert.True(lost > 0, "the killed node answered everything");
        Assert.Equal(created.Count, created.Select(a => a.Number).Distinct().Count());
        foreach (var a in created)
            Assert.Equal(1, await nodes.ScalarAsync($"SELECT COUNT(*) FROM documents WHERE id = '{a.DocumentId}'"));

        // Within a few leases the live nodes have closed the dead node's blocks; their own stay open.
        var deadline = DateTime.UtcNow.AddSeconds(Cluster.NodeLeaseSeconds * 5);
        while (await nodes.ScalarAsync("SELECT COUNT(*) FROM storage_nodes") != 2 && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(2, await nodes.ScalarAsync("SELECT COUNT(*) FROM storage_nodes"));
        Assert.Equal(0, await nodes.ScalarAsync("""
            SELECT COUNT(*) FROM number_blocks b WHERE b.closed_ticks IS NULL AND NOT EXISTS (SELECT 1 FROM storage_nodes n WHERE n.node = b.owner)
            """));
        Assert.True(await nodes.ScalarAsync("SELECT COUNT(*) FROM number_blocks WHERE closed_ticks IS NOT NULL") >= 1);
        var afterwards = await StampAsync(clients[live], $"{prefix}-AFTER");
        Assert.Equal(HttpStatusCode.Created, afterwards.Status);
        Assert.DoesNotContain(afterwards.Number, created.Select(a => a.Number));

        // Every answered stamp reached the ledger, whichever node sequences now, and the ledger verifies.
        var size = await nodes.SettledLedgerAsync(node: live);
        Assert.Equal(size, await nodes.ScalarAsync("SELECT COUNT(*) FROM seal_uses"));
        foreach (var a in created.Append(afterwards))
            Assert.Equal(1, await nodes.ScalarAsync($"SELECT COUNT(*) FROM seal_uses WHERE document_id = '{a.DocumentId}' AND ledger_index IS NOT NULL"));
        Assert.NotEqual(victim, await nodes.SequencerAsync());
    }

    [Fact]
    public async Task Each_supervision_event_is_delivered_once_while_three_nodes_run_their_delivery_loops()
    {
        using var receiver = WebhookReceiver.Start();
        using var nodes = await cluster.StartAsync(settings: new Dictionary<string, string>
        {
            ["SealService__Supervision__WebhookUrl"] = receiver.Url,
            ["SealService__Supervision__InitialDelay"] = "00:00:00.100",
            ["SealService__Supervision__PollInterval"] = "00:00:00.050",
        });
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => StampAsync(clients[i % 3], $"MN-SUP-{i:00}")));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.Sha256));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await nodes.ScalarAsync("SELECT COUNT(*) FROM supervision_outbox WHERE status = 'delivered'") < 30 && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(30, await nodes.ScalarAsync("SELECT COUNT(*) FROM supervision_outbox WHERE status = 'delivered'"));
        var byEvent = receiver.Received.GroupBy(r => r.EventId).ToList();
        Assert.Equal(30, byEvent.Count);
        // The receiver fails each event's first two attempts: one node owns an event through its retries, and no event is
        // posted again once it was accepted.
        Assert.All(byEvent, g => Assert.Equal([500, 500, 204], g.Select(r => r.Status)));
    }

    [Fact]
    public async Task A_seal_revoked_through_node_1_is_refused_on_nodes_2_and_3_within_100_ms_of_the_commit()
    {
        // With Redis, nodes 2 and 3 decide from views in memory, dropped when node 1 announces the revocation.
        using var redis = new RedisServer();
        using var nodes = await cluster.StartAsync(settings: new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration });
        var officer = nodes[0].Client(Tokens.For("department-officer", "李科长", department: "dept-mudan-spj"));
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentBag<(DateTimeOffset Sent, Stamped Answer)>();
        var revokedAt = new TaskCompletionSource<DateTimeOffset>();
        var loops = Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var at = DateTimeOffset.UtcNow;
                sent.Add((at, await StampAsync(clients[1 + (w % 2)], $"MN-REV-{w:00}-{n:0000}")));
            }
        })).ToList();

        // Both nodes stamping (past their cold start) before the revocation.
        var warm = Stopwatch.StartNew();
        while (sent.Count(x => x.Answer.Status == HttpStatusCode.Created) < 20 && warm.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(50);
        var before = DateTimeOffset.UtcNow;
        var revoked = await (await officer.PostAsJsonAsync("/api/v1/seals/" + Seal + "/revoke", new { reason = "多节点注销测试" })).Json();
        var answered = DateTimeOffset.UtcNow;
        Assert.Equal("revoked", revoked.Str("status"));
        await Task.Delay(1500); // keep stamping after the revocation
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        // The revocation's commit instant (the test server tracks commit timestamps), the latest decision any node allowed,
        // and the latest commit of an allowed stamp. Instants are .NET ticks; every process runs on this machine's clock.
        const string Ticks = "(extract(epoch from pg_xact_commit_timestamp(xmin)) * 10000000)::bigint + 621355968000000000";
        var revokedCommit = await nodes.ScalarAsync($"SELECT {Ticks} FROM seal_versions WHERE id = '{Seal}' AND status = 'revoked'");
        var lastAllowed = await nodes.ScalarAsync($"SELECT COALESCE(MAX(at_ticks), 0) FROM seal_uses WHERE seal_id = '{Seal}' AND outcome = 'stamped'");
        // (documents rows are never updated, so their xmin is the stamp's own commit; seal_uses rows get their ledger_index later)
        var lastStampCommit = await nodes.ScalarAsync(
            $"SELECT MAX({Ticks.Replace("xmin", "d.xmin", StringComparison.Ordinal)}) FROM documents d JOIN seal_uses u ON u.id = d.seal_use_id WHERE u.seal_id = '{Seal}'");
        var lag = TimeSpan.FromTicks(lastAllowed - revokedCommit);
        Console.WriteLine($"revocation commit → last allowed decision on any node: {lag.TotalMilliseconds:0.0} ms; → last stamp commit: " +
            $"{TimeSpan.FromTicks(lastStampCommit - revokedCommit).TotalMilliseconds:0.0} ms (revoke call took {(answered - before).TotalMilliseconds:0} ms)");
        Assert.True(lag <= TimeSpan.FromMilliseconds(100), $"a stamp was allowed {lag.TotalMilliseconds} ms after the revocation's commit");
        Assert.True(lastStampCommit < revokedCommit, "a stamp committed after the revocation");

        var stamped = sent.Count(x => x.Answer.Status == HttpStatusCode.Created);
        Assert.True(stamped >= 20, $"only {stamped} stamped before the revocation");
        Assert.DoesNotContain(sent, x => x.Sent > answered && x.Answer.Status == HttpStatusCode.Created);
        Assert.Contains(sent, x => x.Sent > answered && x.Answer.Status == HttpStatusCode.Forbidden);
        Assert.All(sent.Where(x => x.Answer.Status != HttpStatusCode.Created),
            x => Assert.True(x.Answer.Sha256.Contains("SEAL_REVOKED", StringComparison.Ordinal) || x.Answer.Sha256.Contains("STAMP_BASIS_CHANGED", StringComparison.Ordinal), x.Answer.Sha256));
        // Stamps in flight when it committed were refused at their commit; every 201 is stored.
        Assert.Equal(stamped, await nodes.ScalarAsync($"SELECT COUNT(*) FROM documents d JOIN seal_uses u ON u.id = d.seal_use_id WHERE u.seal_id = '{Seal}'"));
    }

    [Fact]
    public async Task Redis_stopped_mid_burst_leaves_every_stamp_correct_and_a_revocation_refused_at_once()
    {
        var redis = new RedisServer();
        using var nodes = await cluster.StartAsync(settings: new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration });
        var clients = nodes.Processes.Select(p => p.Client(ClerkToken)).ToArray();
        Assert.Equal("healthy", await RedisCheckAsync(clients[0]));
        var answered = 0;
        var answers = await Task.WhenAll(Enumerable.Range(0, 600).Select(async i =>
        {
            var a = await StampAsync(clients[i % 3], $"MN-REDIS-{i:0000}");
            if (Interlocked.Increment(ref answered) == 200)
                redis.Dispose(); // SIGKILL, mid-burst
            return a;
        }));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, $"{a.Status}: {a.Sha256}"));
        Assert.Equal(600, answers.Select(a => a.Number).Distinct().Count());
        Assert.Equal(600, await nodes.SettledLedgerAsync(node: 1));

        Assert.Equal("degraded", await RedisCheckAsync(clients[0])); // readiness says so; the node still takes traffic

        // Redis is down: a revocation through node 1 cannot be announced, yet nodes 2 and 3 refuse the very next stamp.
        var officer = nodes[0].Client(Tokens.For("department-officer", "李科长", department: "dept-mudan-spj"));
        Assert.Equal("revoked", (await (await officer.PostAsJsonAsync("/api/v1/seals/" + Seal + "/revoke", new { reason = "Redis 停止时注销" })).Json()).Str("status"));
        foreach (var client in clients.Skip(1))
        {
            var refused = await StampAsync(client, "MN-REDIS-AFTER");
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Contains("SEAL_REVOKED", refused.Sha256, StringComparison.Ordinal);
        }
    }

    private static async Task<string> RedisCheckAsync(HttpClient client)
    {
        var ready = JsonDocument.Parse(await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement;
        return ready.GetProperty("checks").EnumerateArray().Single(c => c.Str("name") == "redis").Str("status");
    }

    private static async Task<Stamped> StampAsync(HttpClient client, string caseNumber)
    {
        using var response = await client.StampJson(Template(Seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", caseNumber));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
            return new Stamped(response.StatusCode, "", "", text);
        var body = JsonDocument.Parse(text).RootElement;
        return new Stamped(response.StatusCode, body.Str("documentId"), body.Str("documentNumber"), body.Str("sha256"));
    }

    private sealed record Stamped(HttpStatusCode Status, string DocumentId, string Number, string Sha256);
}
