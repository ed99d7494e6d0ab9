using System.Net;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>The host started on an empty data folder: all 364 catalogue rows and the demo registry are there.</summary>
public sealed class DemoRegistryTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    private const string ShatuSeal = "seal-mudan-spj-shatu";
    private const string WudianSeal = "seal-mudan-spj-wudian";
    private const string Matter = "mat-heze-mudan-001"; // 个体工商户登记注册, 区行政审批服务局

    [Fact]
    public async Task Service_starts_with_all_364_catalogue_rows_and_the_demo_registry()
    {
        var auditor = factory.Auditor();
        Assert.Equal(364, (await auditor.GetJson("/api/v1/matters?limit=1")).GetProperty("total").GetInt32());
        Assert.Equal(18, (await auditor.GetJson("/api/v1/townships?regionId=reg-mudan")).GetProperty("total").GetInt32());
        Assert.Equal("沙土镇", (await auditor.GetJson("/api/v1/townships/twp-mudan-shatu")).Str("name"));
        Assert.Equal("牡丹区行政审批服务局审批专用章（沙土镇）", (await auditor.GetJson($"/api/v1/seals/{ShatuSeal}")).Str("name"));
        var agreement = await auditor.GetJson("/api/v1/agreements/agr-mudan-spj-shatu");
        Assert.Equal("effective", agreement.Str("status"));
        Assert.Equal("entrusted-handling", agreement.GetProperty("matters")[0].Str("mode"));
        Assert.True((await auditor.GetJson("/api/v1/seals?regionId=reg-zezhou&name=" + Uri.EscapeDataString("人民政府行政审批服务专用章")))
            .GetProperty("total").GetInt32() >= 1);
    }

    [Fact]
    public async Task Shatu_list_carries_the_entrusted_handling_matters()
    {
        var list = await factory.Clerk("twp-mudan-shatu").GetJson("/api/v1/townships/twp-mudan-shatu/matters");
        Assert.Equal("沙土镇", list.Str("townshipName"));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.Str("id") == Matter && i.Str("mode") == "entrusted-handling");
    }

    [Fact]
    public async Task Clerk_of_shatu_may_decide_with_the_shatu_seal()
    {
        var decision = await (await factory.Clerk("twp-mudan-shatu").Post("/api/v1/stamp-checks",
            new { sealId = ShatuSeal, matterId = Matter, step = "decide", subjectTownshipId = "twp-mudan-shatu" })).Json();
        Assert.True(decision.GetProperty("allowed").GetBoolean(), decision.ToString());
        Assert.Equal("agr-mudan-spj-shatu", decision.GetProperty("basis").Str("agreementId"));
    }

    [Fact]
    public async Task Clerk_of_wudian_cannot_use_the_shatu_seal()
    {
        var decision = await (await factory.Clerk("twp-mudan-wudian").Post("/api/v1/stamp-checks",
            new { sealId = ShatuSeal, matterId = Matter, step = "accept", subjectTownshipId = "twp-mudan-wudian" })).Json();
        Assert.False(decision.GetProperty("allowed").GetBoolean());
        Assert.Equal("SEAL_NOT_HELD_BY_CALLER", decision.Str("code"));
    }

    [Theory]
    [InlineData("accept", true, null)]
    [InlineData("decide", false, "STEP_NOT_ALLOWED")]
    public async Task Wudian_accepts_but_does_not_decide_under_entrusted_acceptance(string step, bool allowed, string? code)
    {
        var decision = await (await factory.Clerk("twp-mudan-wudian").Post("/api/v1/stamp-checks",
            new { sealId = WudianSeal, matterId = Matter, step, subjectTownshipId = "twp-mudan-wudian" })).Json();
        Assert.Equal(allowed, decision.GetProperty("allowed").GetBoolean());
        if (code is not null)
            Assert.Equal(code, decision.Str("code"));
    }

    [Fact]
    public async Task Officer_of_another_department_cannot_revoke_the_shatu_agreement()
    {
        await (await factory.Officer("dept-mudan-rsj").Post("/api/v1/agreements/agr-mudan-spj-shatu/revoke", new { reason = "越权收回" }))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal("effective", (await factory.Auditor().GetJson("/api/v1/agreements/agr-mudan-spj-shatu")).Str("status"));
    }
}
