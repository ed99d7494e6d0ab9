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
