using System.Net;
using System.Text.Json;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// The acceptance walk-throughs on the demo registry, through the real host (Kestrel on loopback, SQLite file, dev keys
/// issued on demand): allowed stamps are real signed PDFs (qpdf, pdfsig with the dev root trusted), refusals are 403 with
/// the policy's code and appear in the seal-use register.
/// </summary>
public sealed class DemoStampingTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Wudian = "twp-mudan-wudian";
    private const string ShatuSeal = "seal-mudan-spj-shatu";
    private const string WudianSeal = "seal-mudan-spj-wudian";
    private const string Licence = "mat-heze-mudan-001";

    [Fact]
    public async Task Shatu_decides_a_delegated_licence_with_the_No2_seal_and_the_pdf_verifies()
    {
        var clerk = factory.Clerk(Shatu);
        var response = await clerk.StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", "MDQ-STZ-2026-000001"));
        var body = await response.Json(HttpStatusCode.Created);
        var id = body.Str("documentId");
        Assert.Matches(@"^牡审沙〔\d{4}〕\d{4}号$", body.Str("documentNumber"));
        Assert.Equal($"https://seal.example.gov.cn/verify/{id}", body.Str("verificationUrl"));
        Assert.Equal($"https://seal.example.gov.cn/api/v1/documents/{id}", body.Str("downloadUrl"));
        Assert.Equal($"/api/v1/documents/{id}/record", response.Headers.Location?.OriginalString);

        var pdf = await clerk.Download(id);
        Assert.Equal(body.Str("sha256"), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));
        var signer = Assert.Single(PdfChecks.AssertValid(pdf, factory.RootPem, expectedSignatures: 1)).SignerSubject;
        // The certificate names the seal and, as O, the body printed on its arc (not the catalogue's short name).
        Assert.Contains("CN=牡丹区行政审批服务局审批专用章（沙土镇）", signer, StringComparison.Ordinal);
        Assert.Contains("O=牡丹区行政审批服务局", signer, StringComparison.Ordinal);

        var record = await clerk.GetJson($"/api/v1/documents/{id}/record");
        var use = record.GetProperty("sealUse");
        Assert.Equal("stamped", use.Str("outcome"));
        Assert.Equal("窗口人员", use.Str("actorName"));
        Assert.Equal(ShatuSeal, use.Str("sealId"));
        Assert.Equal(1, use.GetProperty("sealVersion").GetInt32());
        Assert.Equal("agr-mudan-spj-shatu", use.Str("agreementId"));
        Assert.True(use.GetProperty("agreementVersion").GetInt32() >= 1);
        Assert.Equal("entrusted-handling", use.Str("mode"));
        Assert.Equal("MDQ-STZ-2026-000001", use.Str("caseNumber"));
        Assert.Equal(body.Str("documentNumber"), use.Str("documentNumber"));
        Assert.Equal(body.Str("sha256"), record.Str("sha256"));

        // Readers: the department's officer and an auditor may read it; another township's clerk may not.
        await factory.Officer("dept-mudan-spj").GetJson($"/api/v1/documents/{id}/record");
        await factory.Auditor().GetJson($"/api/v1/documents/{id}/record");
        await (await factory.Clerk(Wudian).GetAsync($"/api/v1/documents/{id}")).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await clerk.GetAsync("/api/v1/documents/doc-unknown/record")).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Wudian_under_entrusted_acceptance_gets_the_receipt_but_not_a_decision()
    {
        var clerk = factory.Clerk(Wudian);
        var receipt = await (await clerk.StampJson(Template(WudianSeal, Licence, "accept", Wudian, "acceptance-receipt", "MDQ-WDZ-2026-000007")))
            .Json(HttpStatusCode.Created);
        PdfChecks.AssertValid(await clerk.Download(receipt.Str("documentId")), factory.RootPem, expectedSignatures: 1);

        var refused = await (await clerk.StampJson(Template(WudianSeal, Licence, "decide", Wudian, "licence-decision", "MDQ-WDZ-2026-000007")))
            .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        await AssertRecordedRefusal(refused, WudianSeal, "STEP_NOT_ALLOWED");
    }

    [Fact]
    public async Task Shanting_review_devolved_township_signs_the_opinion_but_not_the_certificate()
    {
        const string xiji = "twp-shanting-xiji";
        var list = await factory.Clerk(xiji).GetJson($"/api/v1/townships/{xiji}/matters?pageSize=200");
        var matter = list.GetProperty("items").EnumerateArray()
            .First(m => m.Str("mode") == "review-devolved" && m.GetProperty("steps").EnumerateArray().Any(s => s.GetString() == "review"));
        var clerk = factory.Clerk(xiji);
        var opinion = await (await clerk.StampJson(Template("seal-shanting-xiji", matter.Str("id"), "review", xiji, "review-opinion", "STQ-XJZ-2026-000001")))
            .Json(HttpStatusCode.Created);
        Assert.Equal("review-devolved", (await clerk.GetJson($"/api/v1/documents/{opinion.Str("documentId")}/record")).GetProperty("sealUse").Str("mode"));

        var refused = await (await clerk.StampJson(Template("seal-shanting-xiji", matter.Str("id"), "issue", xiji, "certificate", "STQ-XJZ-2026-000001")))
            .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        await AssertRecordedRefusal(refused, "seal-shanting-xiji", "STEP_NOT_ALLOWED");
    }

    [Fact]
    public async Task Zezhou_town_decides_with_its_own_seal()
    {
        var clerk = factory.Clerk("twp-zezhou-xx");
        var body = await (await clerk.StampJson(Template("seal-zezhou-xx", "mat-jincheng-zezhou-town-007", "decide", "twp-zezhou-xx", "certificate", "ZZX-2026-000042")))
            .Json(HttpStatusCode.Created);
        Assert.StartsWith("泽审", body.Str("documentNumber"), StringComparison.Ordinal);
        var use = (await clerk.GetJson($"/api/v1/documents/{body.Str("documentId")}/record")).GetProperty("sealUse");
        Assert.Equal("direct-devolution", use.Str("mode"));
        Assert.Equal("certification", use.Str("documentKind"));
    }

    [Fact]
    public async Task Cross_township_case_is_refused_and_recorded()
    {
        var refused = await (await factory.Clerk(Shatu).StampJson(Template(ShatuSeal, Licence, "decide", Wudian, "licence-decision", "MDQ-X-2026-1")))
            .AssertProblem(HttpStatusCode.Forbidden, "CROSS_TOWNSHIP");
        await AssertRecordedRefusal(refused, ShatuSeal, "CROSS_TOWNSHIP");
    }

    [Fact]
    public async Task Clerk_using_another_townships_seal_is_refused_and_recorded_for_both_townships()
    {
        var refused = await (await factory.Clerk(Wudian).StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", "MDQ-Y-2026-1")))
            .AssertProblem(HttpStatusCode.Forbidden, "SEAL_NOT_HELD_BY_CALLER");
        var use = await AssertRecordedRefusal(refused, ShatuSeal, "SEAL_NOT_HELD_BY_CALLER");
        Assert.Equal(Wudian, use.Str("actorTownshipId"));
        Assert.Equal(Shatu, use.Str("sealTownshipId"));
        var id = use.Str("id");
        Assert.Contains(await factory.Clerk(Shatu).AllSealUses("outcome=refused"), u => u.Str("id") == id);
        Assert.Contains(await factory.Clerk(Wudian).AllSealUses("outcome=refused"), u => u.Str("id") == id);
        Assert.DoesNotContain(await factory.Clerk("twp-mudan-huji").AllSealUses("outcome=refused"), u => u.Str("id") == id);
    }

    [Fact]
    public async Task Unknown_seal_is_404_and_still_recorded()
    {
        var refused = await (await factory.Clerk(Shatu).StampJson(Template("seal-does-not-exist", Licence, "decide", Shatu, "licence-decision", "MDQ-Z-1")))
            .AssertProblem(HttpStatusCode.NotFound, "SEAL_NOT_FOUND");
        await AssertRecordedRefusal(refused, "seal-does-not-exist", "SEAL_NOT_FOUND");
    }

    private async Task<JsonElement> AssertRecordedRefusal(JsonElement problem, string sealId, string code)
    {
        var id = problem.Str("sealUseId");
        var uses = await factory.Auditor().AllSealUses($"sealId={sealId}&outcome=refused");
        var use = Assert.Single(uses, u => u.Str("id") == id);
        Assert.Equal(code, use.Str("code"));
        Assert.Equal(JsonValueKind.Null, use.GetProperty("documentNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, use.GetProperty("documentId").ValueKind);
        return use;
    }
}
