using System.Net;
using Microsoft.Data.Sqlite;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// A revocation that lands while a document is being signed stops the stamp (DOMAIN.md rule 4): the hook revokes between
/// the policy decision and the commit, deterministically.
/// </summary>
public sealed class CommitRecheckTests(HookedStampingApiFactory factory) : IClassFixture<HookedStampingApiFactory>, IDisposable
{
    public void Dispose() => factory.AfterProduce = null;

    [Theory]
    [InlineData("agreement", "AGREEMENT_REVOKED")]
    [InlineData("seal", "SEAL_REVOKED")]
    public async Task A_revocation_during_signing_refuses_the_stamp_voids_its_number_and_keeps_no_file(string what, string code)
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var officer = factory.Officer(sc.DeptA);
        var path = what == "agreement" ? $"/api/v1/agreements/{sc.Agreement}/revoke" : $"/api/v1/seals/{sc.Seal}/revoke";
        var filesBefore = DocumentFiles();
        factory.AfterProduce = async order =>
        {
            if (order.Scope.CaseNumber == "MID-SIGN")
                (await officer.Post(path, new { reason = "签章期间收回" })).EnsureSuccessStatusCode();
        };

        var problem = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "MID-SIGN")))
            .AssertProblem(HttpStatusCode.Forbidden, code);

        var use = Assert.Single(await factory.Auditor().AllSealUses($"sealId={sc.Seal}"));
        Assert.Equal(problem.Str("sealUseId"), use.Str("id"));
        Assert.Equal("refused", use.Str("outcome"));
        Assert.Equal(code, use.Str("code"));
        Assert.Equal(["void"], NumberStates(sc.Seal));
        Assert.Equal(filesBefore, DocumentFiles());
    }

    [Fact]
    public async Task Without_a_change_during_signing_the_same_stamp_commits()
    {
        var sc = await Scenario.CreateAsync(factory);
        factory.AfterProduce = _ => Task.CompletedTask;
        await (await factory.Clerk(sc.TownX).StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "MID-SIGN")))
            .Json(HttpStatusCode.Created);
        Assert.Equal(["used"], NumberStates(sc.Seal));
    }

    [Fact]
    public async Task Stamps_committed_together_keep_their_own_outcome_and_the_ledger_stays_dense_and_valid()
    {
        // Ten stamps of two seals reach the commit together; one seal is revoked just before, so its stamps fail their
        // re-check inside the shared transaction while the other seal's stamps commit beside them.
        var revoked = await Scenario.CreateAsync(factory);
        var kept = await Scenario.CreateAsync(factory);
        var officer = factory.Officer(revoked.DeptA);
        const int each = 5;
        var arrived = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.AfterProduce = async order =>
        {
            if (!order.Scope.CaseNumber.StartsWith("BATCH-", StringComparison.Ordinal))
                return;
            if (Interlocked.Increment(ref arrived) == 2 * each)
            {
                (await officer.Post($"/api/v1/seals/{revoked.Seal}/revoke", new { reason = "签章期间收回" })).EnsureSuccessStatusCode();
                go.SetResult();
            }

            await go.Task;
        };

        Task<HttpResponseMessage> Stamp(Scenario sc, int i) =>
            factory.Clerk(sc.TownX).StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", $"BATCH-{sc.Seal}-{i}"));
        var responses = await Task.WhenAll(Enumerable.Range(0, each).SelectMany(i => new[] { Stamp(revoked, i), Stamp(kept, i) }));

        var byStatus = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(each, byStatus.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(each, byStatus.GetValueOrDefault(HttpStatusCode.Forbidden));
        Assert.Equal(Enumerable.Repeat("used", each), NumberStates(kept.Seal));
        Assert.Equal(Enumerable.Repeat("void", each), NumberStates(revoked.Seal));

        // Every use (stamps and the refusals recorded for the failed re-checks) has its own ledger index, and the
        // ledger's entries and roots verify end to end: no index of a rolled-back stamp was left behind or reused.
        var uses = (await factory.Auditor().AllSealUses($"sealId={kept.Seal}")).Concat(await factory.Auditor().AllSealUses($"sealId={revoked.Seal}")).ToList();
        Assert.Equal(2 * each, uses.Count);
        var indexes = uses.Select(u => u.GetProperty("ledgerIndex").GetInt64()).ToList();
        Assert.Equal(indexes.Count, indexes.Distinct().Count());
        var report = await (await factory.Auditor().PostAsync("/api/v1/ledger/verify", null)).Json();
        Assert.True(report.GetProperty("isValid").GetBoolean(), report.ToString());
    }

    private List<string> NumberStates(string sealId)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "registry.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT state FROM document_numbers WHERE seal_id = $s ORDER BY seq";
        cmd.Parameters.AddWithValue("$s", sealId);
        using var r = cmd.ExecuteReader();
        var states = new List<string>();
        while (r.Read())
            states.Add(r.GetString(0));
        return states;
    }

    private string[] DocumentFiles()
    {
        var dir = Path.Combine(factory.DataDirectory, "documents");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order().ToArray() : [];
    }
}
