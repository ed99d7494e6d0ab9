using System.Net;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>Agreement actions through the API, each persisted as a version with who, when and why.</summary>
public sealed class AgreementActionTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    [Fact]
    public async Task Suspend_resume_revoke_each_answer_the_new_version_and_history_keeps_reasons()
    {
        var sc = await Scenario.CreateAsync(factory);
        var officer = factory.Officer(sc.DeptA);

        var suspended = await (await officer.Post($"/api/v1/agreements/{sc.Agreement}/suspend", new { reason = "整改期间暂停" })).Json();
        Assert.Equal("suspended", suspended.Str("status"));
        Assert.Equal(3, suspended.GetProperty("version").GetInt32());

        var resumed = await (await officer.Post($"/api/v1/agreements/{sc.Agreement}/resume", new { reason = "整改完成" })).Json();
        Assert.Equal("effective", resumed.Str("status"));

        var revoked = await (await officer.Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回权限" })).Json();
        Assert.Equal("revoked", revoked.Str("status"));
        Assert.Equal("县甲局委托甲镇办理协议", revoked.Str("name"));

        var history = await officer.GetJson($"/api/v1/agreements/{sc.Agreement}/history");
        Assert.Equal(["draft", "effective", "suspended", "effective", "revoked"], history.EnumerateArray().Select(v => v.Str("status")));
        Assert.Equal(["签订协议", "司法局备案", "整改期间暂停", "整改完成", "收回权限"],
            history.EnumerateArray().Select(v => v.GetProperty("change").Str("reason")));
        Assert.Contains("科员", history[4].GetProperty("change").Str("actor"));
    }

    [Fact]
    public async Task File_moves_a_draft_to_effective_with_its_filing_number()
    {
        var sc = await Scenario.CreateAsync(factory);
        var agreement = await factory.Admin().GetJson($"/api/v1/agreements/{sc.Agreement}");
        Assert.Equal("effective", agreement.Str("status"));
        Assert.Equal("司备〔2024〕1号", agreement.Str("filingNumber"));
        Assert.Equal("2024-02-01", agreement.Str("filingDate"));
    }

    [Fact]
    public async Task Action_without_reason_is_400_validation_failed_naming_reason()
    {
        var sc = await Scenario.CreateAsync(factory);
        var problem = await (await factory.Admin().Post($"/api/v1/agreements/{sc.Agreement}/suspend", new { }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task Resuming_an_effective_agreement_is_409_invalid_state_transition()
    {
        var sc = await Scenario.CreateAsync(factory);
        await (await factory.Admin().Post($"/api/v1/agreements/{sc.Agreement}/resume", new { reason = "误操作" }))
            .AssertProblem(HttpStatusCode.Conflict, "INVALID_STATE_TRANSITION");
    }

    [Fact]
    public async Task Officer_cannot_revoke_another_departments_agreement()
    {
        var sc = await Scenario.CreateAsync(factory);
        await (await factory.Officer(sc.DeptB).Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "越权" }))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        var agreement = await factory.Auditor().GetJson($"/api/v1/agreements/{sc.Agreement}");
        Assert.Equal("effective", agreement.Str("status"));
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("township-clerk")]
    public async Task Auditor_and_clerk_cannot_change_agreements(string role)
    {
        var sc = await Scenario.CreateAsync(factory);
        var client = factory.As(role, township: role == "township-clerk" ? sc.TownX : null);
        await (await client.Post($"/api/v1/agreements/{sc.Agreement}/suspend", new { reason = "试图暂停" }))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Agreement_at_an_instant_before_a_change_is_the_version_then_in_force()
    {
        var sc = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        var before = factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await admin.Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回" })).Json();
        var then = await admin.GetJson($"/api/v1/agreements/{sc.Agreement}?at={Uri.EscapeDataString(before.ToString("O"))}");
        Assert.Equal("effective", then.Str("status"));
        Assert.Equal("revoked", (await admin.GetJson($"/api/v1/agreements/{sc.Agreement}")).Str("status"));
    }

    [Fact]
    public async Task Unknown_agreement_is_404_not_found_for_reads_and_actions()
    {
        var admin = factory.Admin();
        await (await admin.GetAsync("/api/v1/agreements/agr-nope")).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await admin.GetAsync("/api/v1/agreements/agr-nope/history")).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await admin.Post("/api/v1/agreements/agr-nope/revoke", new { reason = "x" })).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
