using System.Net;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>POST /stamp-checks: the policy's decision through the API, and changes taking effect at once.</summary>
public sealed class StampCheckTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    private static async Task<System.Text.Json.JsonElement> Check(HttpClient client, object body) =>
        await (await client.Post("/api/v1/stamp-checks", body)).Json();

    [Fact]
    public async Task Clerk_of_the_holding_township_is_allowed_with_the_agreement_as_basis()
    {
        var sc = await Scenario.CreateAsync(factory);
        var decision = await Check(factory.Clerk(sc.TownX), sc.Check());
        Assert.True(decision.GetProperty("allowed").GetBoolean(), decision.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, decision.GetProperty("code").ValueKind);
        var basis = decision.GetProperty("basis");
        Assert.Equal(sc.Agreement, basis.Str("agreementId"));
        Assert.Equal(2, basis.GetProperty("agreementVersion").GetInt32());
        Assert.Equal("entrusted-handling", basis.Str("mode"));
        Assert.Equal(sc.DeptA, basis.Str("actingBodyId"));
    }

    [Fact]
    public async Task Clerk_of_another_township_gets_seal_not_held_by_caller()
    {
        var sc = await Scenario.CreateAsync(factory);
        var decision = await Check(factory.Clerk(sc.TownY), sc.Check(subject: sc.TownY));
        Assert.False(decision.GetProperty("allowed").GetBoolean());
        Assert.Equal("SEAL_NOT_HELD_BY_CALLER", decision.Str("code"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, decision.GetProperty("basis").ValueKind);
    }

    [Fact]
    public async Task Revoking_the_agreement_via_the_api_refuses_the_next_check()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        Assert.True((await Check(clerk, sc.Check())).GetProperty("allowed").GetBoolean());

        await (await factory.Officer(sc.DeptA).Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回" })).Json();
        Assert.Equal("AGREEMENT_REVOKED", (await Check(clerk, sc.Check())).Str("code"));
    }

    [Fact]
    public async Task Suspending_then_revoking_the_seal_via_the_api_refuses_the_next_check()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var admin = factory.Admin();
        await (await admin.Post($"/api/v1/seals/{sc.Seal}/suspend", new { reason = "暂停" })).Json();
        Assert.Equal("SEAL_SUSPENDED", (await Check(clerk, sc.Check())).Str("code"));
        await (await admin.Post($"/api/v1/seals/{sc.Seal}/revoke", new { reason = "作废" })).Json();
        Assert.Equal("SEAL_REVOKED", (await Check(clerk, sc.Check())).Str("code"));
    }

    [Fact]
    public async Task Check_at_an_instant_before_the_revocation_is_still_allowed()
    {
        var sc = await Scenario.CreateAsync(factory);
        var before = factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await factory.Admin().Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回" })).Json();
        var clerk = factory.Clerk(sc.TownX);
        var then = await Check(clerk, new { sealId = sc.Seal, matterId = sc.MatterA, step = "decide", subjectTownshipId = sc.TownX, at = before });
        Assert.True(then.GetProperty("allowed").GetBoolean(), then.ToString());
        Assert.Equal("AGREEMENT_REVOKED", (await Check(clerk, sc.Check())).Str("code"));
    }

    [Theory]
    [InlineData("decide", null, true, null)]
    [InlineData("re-check", null, false, "STEP_NOT_ALLOWED")]
    [InlineData("decide", "other", false, "CROSS_TOWNSHIP")]
    public async Task Step_and_subject_township_are_checked(string step, string? subject, bool allowed, string? code)
    {
        var sc = await Scenario.CreateAsync(factory);
        var decision = await Check(factory.Clerk(sc.TownX), sc.Check(step, subject is null ? null : sc.TownY));
        Assert.Equal(allowed, decision.GetProperty("allowed").GetBoolean());
        if (code is not null)
            Assert.Equal(code, decision.Str("code"));
    }

    [Fact]
    public async Task Unknown_seal_and_matter_are_the_policys_refusals_with_200()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        Assert.Equal("SEAL_NOT_FOUND", (await Check(clerk, sc.Check(sealId: "seal-nowhere"))).Str("code"));
        Assert.Equal("MATTER_NOT_FOUND", (await Check(clerk, sc.Check(matterId: "mat-nowhere"))).Str("code"));
    }

    [Fact]
    public async Task Admin_may_ask_as_a_township_and_a_clerk_may_not_ask_as_another()
    {
        var sc = await Scenario.CreateAsync(factory);
        var asX = new { sealId = sc.Seal, matterId = sc.MatterA, step = "decide", subjectTownshipId = sc.TownX, asTownshipId = sc.TownX };
        Assert.Equal("SEAL_NOT_HELD_BY_CALLER", (await Check(factory.Admin(), sc.Check())).Str("code"));
        Assert.True((await Check(factory.Admin(), asX)).GetProperty("allowed").GetBoolean());
        Assert.True((await Check(factory.Auditor(), asX)).GetProperty("allowed").GetBoolean());
        await (await factory.Clerk(sc.TownY).Post("/api/v1/stamp-checks", asX)).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Malformed_request_is_400_validation_failed()
    {
        var problem = await (await factory.Clerk("twp-any").Post("/api/v1/stamp-checks", new { sealId = "", matterId = "m", step = "stamp" }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sealId", out _));
        Assert.True(errors.TryGetProperty("step", out _));
    }

    [Fact]
    public async Task Township_list_shows_the_agreement_matters_until_revoked()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var list = await clerk.GetJson($"/api/v1/townships/{sc.TownX}/matters");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(sc.MatterA, item.Str("id"));
        Assert.Equal("甲局许可事项", item.Str("name"));
        Assert.Equal("entrusted-handling", item.Str("mode"));

        var before = await clerk.GetJson($"/api/v1/townships/{sc.TownX}/matters?at=2023-12-31");
        Assert.Equal(0, before.GetProperty("total").GetInt32());

        await (await factory.Admin().Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回" })).Json();
        Assert.Equal(0, (await clerk.GetJson($"/api/v1/townships/{sc.TownX}/matters")).GetProperty("total").GetInt32());
    }
}
