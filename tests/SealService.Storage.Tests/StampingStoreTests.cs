using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Tests;

/// <summary>Document numbers and seal uses in a real database of each engine.</summary>
public abstract class StampingStoreTestsContract(IStoreEngine engine)
{
    [Fact]
    public async Task The_ledger_tables_come_with_the_adapters_migrations()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        Assert.Equal(0, await t.ScalarAsync("SELECT COUNT(*) FROM ledger_entries"));
        Assert.Equal(0, await t.ScalarAsync("SELECT COUNT(*) FROM ledger_tree_heads"));
    }

    [Fact]
    public async Task A_void_number_is_never_handed_out_again_and_sequences_are_per_seal_and_year()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var store = t.Stamping(numberBlockSize: 1);
        var first = await store.AllocateNumberAsync("seal-a", 2026, "doc-1", TestStore.Start, s => $"甲〔2026〕{s:0000}号", default);
        await store.VoidNumberAsync(first, "render failed", default);
        var second = await store.AllocateNumberAsync("seal-a", 2026, "doc-2", TestStore.Start, s => $"甲〔2026〕{s:0000}号", default);
        var otherSeal = await store.AllocateNumberAsync("seal-b", 2026, "doc-3", TestStore.Start, s => $"乙〔2026〕{s:0000}号", default);
        var nextYear = await store.AllocateNumberAsync("seal-a", 2027, "doc-4", TestStore.Start, s => $"甲〔2027〕{s:0000}号", default);
        Assert.Equal((1, 2, 1, 1), (first.Sequence, second.Sequence, otherSeal.Sequence, nextYear.Sequence));
        Assert.Equal("甲〔2026〕0002号", second.DocumentNumber);

        // A restart voids what an interrupted request left allocated; the next number still moves on.
        Assert.Equal(3, await store.VoidInterruptedAsync(default));
        Assert.Equal(0, await store.VoidInterruptedAsync(default));
        var afterRestart = await store.AllocateNumberAsync("seal-a", 2026, "doc-5", TestStore.Start, s => $"甲〔2026〕{s:0000}号", default);
        Assert.Equal(3, afterRestart.Sequence);
    }

    [Fact]
    public async Task A_stamp_commits_only_on_a_number_that_is_still_allocated()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var store = t.Stamping();
        var seal = (await t.Store.Seals.GetAsync("seal-mudan-spj-shatu", default))!;
        Task<NumberAllocation> Allocate(string documentId) =>
            store.AllocateNumberAsync(seal.Id, 2026, documentId, TestStore.Start, s => $"牡〔2026〕{s:0000}号", default);

        var good = await Allocate("doc-good");
        await store.CommitStampAsync(Commit(seal, good, "key-good"), default);
        Assert.NotNull(await store.GetDocumentAsync("doc-good", default));

        // A voided number (作废) is never used for a document, and nothing of the attempt is kept.
        var voided = await Allocate("doc-void");
        await store.VoidNumberAsync(voided, "render failed", default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitStampAsync(Commit(seal, voided, "key-void"), default));
        Assert.Null(await store.GetDocumentAsync("doc-void", default));
        Assert.Null(await store.FindIdempotentAsync("key-void", default));
        var uses = await store.QuerySealUsesAsync(new SealUseFilter(SealId: seal.Id), new PageRequest(), default);
        Assert.Equal(["use-doc-good"], uses.Items.Select(u => u.Id));

        // Nor is a number already used for another document.
        var reused = good with { DocumentId = "doc-again" };
        await Assert.ThrowsAnyAsync<Exception>(() => store.CommitStampAsync(Commit(seal, reused, "key-again"), default));
        Assert.Null(await store.GetDocumentAsync("doc-again", default));
    }

    [Fact]
    public async Task Numbers_come_from_blocks_reserved_ahead_and_a_restart_voids_the_unused_rest()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var store = t.Stamping(numberBlockSize: 4);
        var seal = (await t.Store.Seals.GetAsync("seal-mudan-spj-shatu", default))!;
        Task<NumberAllocation> Allocate(string documentId) =>
            store.AllocateNumberAsync(seal.Id, 2026, documentId, TestStore.Start, s => $"牡〔2026〕{s:0000}号", default);

        var used = await Allocate("doc-1");
        var failed = await Allocate("doc-2");
        var interrupted = await Allocate("doc-3");
        Assert.Equal([1L, 2L, 3L], new[] { used.Sequence, failed.Sequence, interrupted.Sequence });
        Assert.Equal(4, await t.ScalarAsync("SELECT last_seq FROM number_counters"));
        await store.CommitStampAsync(Commit(seal, used, "key-1"), default);
        await store.VoidNumberAsync(failed, "render failed", default);

        // Start-up closes the block: numbers 3 (in flight) and 4 (never handed out) are void, recorded with the block.
        Assert.Equal(2, await store.VoidInterruptedAsync(default));
        Assert.Equal(2, await t.ScalarAsync("SELECT unused FROM number_blocks WHERE closed_ticks IS NOT NULL"));
        var next = await Allocate("doc-5");
        Assert.Equal(5, next.Sequence);
        Assert.Equal(8, await t.ScalarAsync("SELECT last_seq FROM number_counters"));
        // A number of a closed block is never written later: its stamp no longer commits.
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitStampAsync(Commit(seal, interrupted, "key-3"), default));
        Assert.Null(await store.GetDocumentAsync("doc-3", default));
    }

    [Fact]
    public async Task Concurrent_commits_share_transactions_and_a_failing_one_is_rolled_back_alone()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var store = t.Stamping();
        var seal = (await t.Store.Seals.GetAsync("seal-mudan-spj-shatu", default))!;
        var numbers = new List<NumberAllocation>();
        for (var i = 0; i < 40; i++)
            numbers.Add(await store.AllocateNumberAsync(seal.Id, 2026, $"doc-{i}", TestStore.Start, s => $"牡〔2026〕{s:0000}号", default));
        foreach (var n in numbers.Where((_, i) => i % 10 == 3))
            await store.VoidNumberAsync(n, "render failed", default);

        var before = store.WriteBatches;
        var commits = numbers.Select((n, i) => store.CommitStampAsync(Commit(seal, n, $"key-{i}"), default)).ToArray();
        var outcomes = await Task.WhenAll(commits.Select(async c =>
        {
            try { await c; return "stored"; }
            catch (InvalidOperationException) { return "void"; }
        }));

        Assert.Equal(36, outcomes.Count(o => o == "stored"));
        Assert.Equal(4, outcomes.Count(o => o == "void"));
        for (var i = 0; i < numbers.Count; i++)
            Assert.Equal(i % 10 != 3, await store.GetDocumentAsync($"doc-{i}", default) is not null);
        Assert.Equal(36, await t.ScalarAsync("SELECT COUNT(*) FROM seal_uses"));
        // 40 commits queued at once cannot each have waited for a transaction of their own.
        Assert.InRange(store.WriteBatches - before, 1, 20);
    }

    internal static StampCommit Commit(Seal seal, NumberAllocation number, string key) => new(
        new SealService.Domain.Policy.PolicyBasis(seal.Id, seal.Version, null, null, null, seal.ActingBodyId),
        new SealUseRecord
        {
            Id = "use-" + number.DocumentId,
            At = TestStore.Start,
            Outcome = SealUseOutcomes.Stamped,
            ActorName = "张三",
            ActorRole = CallerRole.TownshipClerk,
            ActorTownshipId = seal.HoldingTownshipId,
            SealId = seal.Id,
            SealVersion = seal.Version,
            SealDepartmentId = seal.ActingBodyId,
            SealTownshipId = seal.HoldingTownshipId,
            MatterId = "mat-1",
            Step = CaseStep.Decide,
            CaseNumber = "C-" + number.DocumentId,
            DocumentId = number.DocumentId,
            DocumentNumber = number.DocumentNumber,
            Sha256 = new string('0', 64),
        },
        number,
        "documents/" + number.DocumentId + ".pdf",
        100,
        key,
        new string('1', 64),
        null,
        null);

    [Fact]
    public async Task Refusals_are_queryable_by_department_township_and_outcome()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await using var store = t.Stamping();
        SealUseRecord Use(string id, string dept, string twp, string actorTwp) => new()
        {
            Id = id,
            At = TestStore.Start,
            Outcome = SealUseOutcomes.Refused,
            Code = "CROSS_TOWNSHIP",
            ActorName = "张三",
            ActorRole = CallerRole.TownshipClerk,
            ActorTownshipId = actorTwp,
            SealId = "seal-" + id,
            SealDepartmentId = dept,
            SealTownshipId = twp,
            MatterId = "mat-1",
            Step = CaseStep.Decide,
            CaseNumber = "C-" + id,
        };
        await store.RecordRefusalAsync(Use("u1", "dept-a", "twp-x", "twp-x"), default);
        await store.RecordRefusalAsync(Use("u2", "dept-b", "twp-y", "twp-x"), default);
        await store.RecordRefusalAsync(Use("u3", "dept-b", "twp-y", "twp-y"), default);

        async Task<string[]> Ids(SealUseFilter f) => [.. (await store.QuerySealUsesAsync(f, new PageRequest(), default)).Items.Select(u => u.Id).Order()];
        Assert.Equal(["u2", "u3"], await Ids(new SealUseFilter(DepartmentId: "dept-b")));
        Assert.Equal(["u1", "u2"], await Ids(new SealUseFilter(TownshipId: "twp-x")));
        Assert.Empty(await Ids(new SealUseFilter(Outcome: SealUseOutcomes.Stamped)));
        Assert.Empty(await Ids(new SealUseFilter(From: TestStore.Start.AddSeconds(1))));
        var page = await store.QuerySealUsesAsync(new SealUseFilter(), new PageRequest(0, 2), default);
        Assert.Equal((2, 3), (page.Items.Count, page.Total));
    }
}

public sealed class SqliteStampingStoreTests() : StampingStoreTestsContract(new SqliteEngine());

public sealed class PostgresStampingStoreTests(PostgresEngine engine) : StampingStoreTestsContract(engine), IClassFixture<PostgresEngine>;
