using System.Net;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

public sealed class SealActionTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    [Fact]
    public async Task Suspend_resume_revoke_change_status_and_are_kept_in_history()
    {
        var sc = await Scenario.CreateAsync(factory);
        var officer = factory.Officer(sc.DeptA);
        Assert.Equal("suspended", (await (await officer.Post($"/api/v1/seals/{sc.Seal}/suspend", new { reason = "遗失待查" })).Json()).Str("status"));
        Assert.Equal("active", (await (await officer.Post($"/api/v1/seals/{sc.Seal}/resume", new { reason = "已找回" })).Json()).Str("status"));
        Assert.Equal("revoked", (await (await officer.Post($"/api/v1/seals/{sc.Seal}/revoke", new { reason = "作废" })).Json()).Str("status"));

        var history = await officer.GetJson($"/api/v1/seals/{sc.Seal}/history");
        Assert.Equal(["active", "suspended", "active", "revoked"], history.EnumerateArray().Select(v => v.Str("status")));
        Assert.Equal("测试县甲局审批专用章（甲镇）", history[0].Str("name"));
        // A revoked seal cannot be resumed.
        await (await officer.Post($"/api/v1/seals/{sc.Seal}/resume", new { reason = "恢复" }))
            .AssertProblem(HttpStatusCode.Conflict, "INVALID_STATE_TRANSITION");
    }

    [Fact]
    public async Task Retire_is_final()
    {
        var sc = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        Assert.Equal("retired", (await (await admin.Post($"/api/v1/seals/{sc.Seal}/retire", new { reason = "改革封存" })).Json()).Str("status"));
        await (await admin.Post($"/api/v1/seals/{sc.Seal}/resume", new { reason = "启封" }))
            .AssertProblem(HttpStatusCode.Conflict, "INVALID_STATE_TRANSITION");
    }

    [Fact]
    public async Task Officer_of_another_department_cannot_suspend_the_seal()
    {
        var sc = await Scenario.CreateAsync(factory);
        await (await factory.Officer(sc.DeptB).Post($"/api/v1/seals/{sc.Seal}/suspend", new { reason = "越权" }))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Seal_list_filters_by_township_and_pages()
    {
        var sc = await Scenario.CreateAsync(factory);
        var page = await factory.Clerk(sc.TownX).GetJson($"/api/v1/seals?townshipId={sc.TownX}&page=1&pageSize=10");
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(sc.Seal, page.GetProperty("items")[0].Str("id"));
        Assert.Equal("department-no2", page.GetProperty("items")[0].Str("kind"));
    }

    [Fact]
    public async Task Unknown_seal_is_404()
    {
        await (await factory.Admin().Post("/api/v1/seals/seal-nope/retire", new { reason = "x" }))
            .AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
