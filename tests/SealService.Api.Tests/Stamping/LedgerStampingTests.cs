using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Stamping;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>Every seal use (stamp and refusal) is appended to the tamper-evident ledger in the record's own transaction.</summary>
public sealed class LedgerStampingTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    [Fact]
    public async Task Stamps_and_refusals_are_in_the_ledger_with_their_canonical_entry()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var stamped = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "LEDGER-1"))).Json(HttpStatusCode.Created);
        var refused = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownY, "licence-decision", "LEDGER-2")))
            .AssertProblem(HttpStatusCode.Forbidden, "CROSS_TOWNSHIP");

        var ledger = factory.Services.GetRequiredService<LedgerJournal>().Ledger;
        var uses = await factory.Auditor().AllSealUses($"sealId={sc.Seal}");
        Assert.Equal(2, uses.Count);
        foreach (var use in uses)
        {
            var entry = JsonDocument.Parse(await ledger.GetEntryAsync(use.GetProperty("ledgerIndex").GetInt64())).RootElement;
            Assert.Equal(use.Str("id"), entry.Str("sealUseId"));
            Assert.Equal(use.Str("outcome") == "stamped" ? "allowed" : "refused", entry.Str("outcome"));
            Assert.Equal(use.Str("caseNumber"), entry.Str("caseNumber"));
        }

        var stampedUse = uses.Single(u => u.Str("id") == stamped.Str("sealUseId"));
        var stampedEntry = JsonDocument.Parse(await ledger.GetEntryAsync(stampedUse.GetProperty("ledgerIndex").GetInt64())).RootElement;
        Assert.Equal(stamped.Str("sha256"), stampedEntry.Str("documentSha256"));
        Assert.Equal(stamped.Str("documentNumber"), stampedEntry.Str("documentNumber"));
        var refusedUse = uses.Single(u => u.Str("id") == refused.Str("sealUseId"));
        Assert.Equal("CROSS_TOWNSHIP", JsonDocument.Parse(await ledger.GetEntryAsync(refusedUse.GetProperty("ledgerIndex").GetInt64())).RootElement.Str("code"));

        await ledger.IssueTreeHeadAsync();
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("; ", report.Findings));
    }
}
