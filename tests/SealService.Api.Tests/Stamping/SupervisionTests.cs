using System.Net;
using System.Text.Json;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// 审管互动: a decide/issue stamp writes an outbox event for the matter's supervising department in the stamp's transaction;
/// the background worker POSTs it to a real loopback listener that fails the first attempts, retrying with back-off.
/// </summary>
public sealed class SupervisionTests(SupervisionApiFactory factory) : IClassFixture<SupervisionApiFactory>
{
    private const string Shatu = "twp-mudan-shatu";

    [Fact]
    public async Task Decision_event_is_delivered_after_failed_attempts_and_hopeless_ones_end_failed()
    {
        var supervisor = (await factory.Admin().GetJson("/api/v1/matters/mat-heze-mudan-001")).Str("supervisingDepartmentId");
        var clerk = factory.Clerk(Shatu);
        var decided = await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "SUP-2026-1")))
            .Json(HttpStatusCode.Created);
        var hopeless = await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "issue", Shatu, "certificate", "ALWAYS-FAIL-1")))
            .Json(HttpStatusCode.Created);
        var accepted = await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "accept", Shatu, "acceptance-receipt", "SUP-2026-2")))
            .Json(HttpStatusCode.Created);

        var delivered = await WaitForAsync(decided.Str("documentId"), "delivered");
        Assert.Equal(supervisor, delivered.Str("departmentId"));
        Assert.Equal(WebhookReceiver.FailuresPerEvent + 1, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(decided.Str("documentNumber"), delivered.GetProperty("payload").Str("documentNumber"));
        var posts = factory.Receiver.Received.Where(r => r.EventId == delivered.Str("id")).ToList();
        Assert.Equal([500, 500, 204], posts.Select(p => p.Status));
        Assert.All(posts, p => Assert.Equal("SUP-2026-1", JsonDocument.Parse(p.Body).RootElement.Str("caseNumber")));

        var failed = await WaitForAsync(hopeless.Str("documentId"), "failed");
        Assert.Equal(4, failed.GetProperty("attempts").GetInt32()); // MaxAttempts in the test host
        Assert.Equal("HTTP 500", failed.Str("lastError"));

        // Only decide/issue steps are pushed; the officer of the supervising department sees its events, a clerk none.
        var all = await factory.Auditor().GetJson("/api/v1/supervision-events?pageSize=200");
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), e => e.Str("documentId") == accepted.Str("documentId"));
        var mine = await factory.Officer(supervisor).GetJson("/api/v1/supervision-events?status=delivered");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), e => e.Str("id") == delivered.Str("id"));
        await (await clerk.GetAsync("/api/v1/supervision-events")).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    private async Task<JsonElement> WaitForAsync(string documentId, string status)
    {
        var auditor = factory.Auditor();
        for (var i = 0; i < 600; i++)
        {
            var page = await auditor.GetJson($"/api/v1/supervision-events?status={status}&pageSize=200");
            foreach (var e in page.GetProperty("items").EnumerateArray())
                if (e.Str("documentId") == documentId)
                    return e;
            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no {status} event for {documentId}");
    }
}
