using System.Net;
using System.Net.Http.Json;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>Base data: created and replaced by registry-admin, read by every role, listed with filters and pages.</summary>
public sealed class RegistryCrudTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    [Fact]
    public async Task Created_entities_are_read_back_by_id_and_replaced_with_put()
    {
        var sc = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        var township = await factory.Auditor().GetJson($"/api/v1/townships/{sc.TownY}");
        Assert.Equal("乙街道", township.Str("name"));
        Assert.Equal("subdistrict", township.Str("kind"));

        var renamed = await (await admin.PutAsJsonAsync($"/api/v1/townships/{sc.TownY}",
            new { regionId = sc.Region, name = "乙镇", kind = "town" })).Json();
        Assert.Equal("乙镇", renamed.Str("name"));
        Assert.Equal("乙镇", (await admin.GetJson($"/api/v1/townships/{sc.TownY}")).Str("name"));

        var matter = await admin.GetJson($"/api/v1/matters/{sc.MatterA}");
        Assert.Equal(sc.DeptA, matter.Str("departmentId"));
        Assert.Equal("license", matter.Str("powerType"));
    }

    [Fact]
    public async Task Lists_filter_by_region_department_and_name_and_page_as_items_and_total()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);

        var townships = await clerk.GetJson($"/api/v1/townships?regionId={sc.Region}");
        Assert.Equal(2, townships.GetProperty("total").GetInt32());

        var first = await clerk.GetJson($"/api/v1/townships?regionId={sc.Region}&pageSize=1&page=1");
        var second = await clerk.GetJson($"/api/v1/townships?regionId={sc.Region}&limit=1&offset=1");
        Assert.Equal(2, first.GetProperty("total").GetInt32());
        Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.NotEqual(first.GetProperty("items")[0].Str("id"), second.GetProperty("items")[0].Str("id"));

        var matters = await clerk.GetJson($"/api/v1/matters?departmentId={sc.DeptB}");
        Assert.Equal(sc.MatterB, Assert.Single(matters.GetProperty("items").EnumerateArray()).Str("id"));

        var byName = await clerk.GetJson($"/api/v1/departments?regionId={sc.Region}&name={Uri.EscapeDataString("乙局")}");
        Assert.Equal(sc.DeptB, Assert.Single(byName.GetProperty("items").EnumerateArray()).Str("id"));

        var agreements = await clerk.GetJson($"/api/v1/agreements?townshipId={sc.TownX}");
        Assert.Equal(sc.Agreement, Assert.Single(agreements.GetProperty("items").EnumerateArray()).Str("id"));
    }

    [Fact]
    public async Task Page_size_above_the_maximum_is_400_validation_failed()
    {
        var problem = await (await factory.Admin().GetAsync("/api/v1/matters?pageSize=100000"))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("department-officer")]
    [InlineData("township-clerk")]
    public async Task Only_registry_admin_writes_base_data(string role)
    {
        var client = factory.As(role, department: "dept-any", township: "twp-any");
        await (await client.Post("/api/v1/regions", new { id = "reg-denied", name = "不应创建" }))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await factory.Admin().GetAsync("/api/v1/regions/reg-denied")).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Creating_an_existing_id_is_409_conflict()
    {
        var sc = await Scenario.CreateAsync(factory);
        await (await factory.Admin().Post("/api/v1/regions", new { id = sc.Region, name = "重复" }))
            .AssertProblem(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Officer_creates_agreements_only_for_their_own_department()
    {
        var sc = await Scenario.CreateAsync(factory);
        object Agreement(string dept, string matter) => new
        {
            departmentId = dept,
            townshipId = sc.TownY,
            name = "委托协议",
            period = new { from = "2025-01-01" },
            matters = new[] { new { matterId = matter, mode = "entrusted-acceptance", steps = new[] { "accept" } } },
            reason = "新签",
        };
        var officer = factory.Officer(sc.DeptA);
        var created = await (await officer.Post("/api/v1/agreements", Agreement(sc.DeptA, sc.MatterA))).Json(HttpStatusCode.Created);
        Assert.Equal("draft", created.Str("status"));
        await (await officer.Post("/api/v1/agreements", Agreement(sc.DeptB, sc.MatterB)))
            .AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Amending_an_agreement_with_a_stale_version_is_409_conflict()
    {
        var sc = await Scenario.CreateAsync(factory);
        object Amend(int version) => new
        {
            departmentId = sc.DeptA,
            townshipId = sc.TownX,
            name = "县甲局委托甲镇办理协议（修订）",
            period = new { from = "2024-01-01", to = "2099-12-31" },
            matters = new[] { new { matterId = sc.MatterA, mode = "entrusted-handling", steps = new[] { "accept", "decide" } } },
            version,
            reason = "调整环节",
        };
        var admin = factory.Admin();
        var amended = await (await admin.PutAsJsonAsync($"/api/v1/agreements/{sc.Agreement}", Amend(2))).Json();
        Assert.Equal(3, amended.GetProperty("version").GetInt32());
        Assert.Equal("县甲局委托甲镇办理协议（修订）", amended.Str("name"));
        await (await admin.PutAsJsonAsync($"/api/v1/agreements/{sc.Agreement}", Amend(2))).AssertProblem(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Officer_registers_seals_of_their_own_department_only()
    {
        var sc = await Scenario.CreateAsync(factory);
        object Seal(string kind, string actingBody, string? holder) => new
        {
            name = "测试章",
            kind,
            actingBodyId = actingBody,
            holdingTownshipId = holder,
            validity = new { from = "2025-01-01" },
            reason = "刻制",
        };
        var officer = factory.Officer(sc.DeptA);
        var own = await (await officer.Post("/api/v1/seals", Seal("department-no2", sc.DeptA, sc.TownY))).Json(HttpStatusCode.Created);
        Assert.Equal("active", own.Str("status"));
        await (await officer.Post("/api/v1/seals", Seal("department-no2", sc.DeptB, sc.TownY))).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await officer.Post("/api/v1/seals", Seal("township-own", sc.TownY, sc.TownY))).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
