using System.Net;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// A small registry built through the API by a registry-admin: one region, two departments (A, B), two townships
/// (X, Y), a matter of each department, a filed EntrustedHandling agreement A → X and A's No. 2 seal held by X.
/// Ids carry a random suffix so scenarios in one host do not collide.
/// </summary>
public sealed record Scenario(string Region, string DeptA, string DeptB, string TownX, string TownY,
    string MatterA, string MatterB, string Agreement, string Seal)
{
    public static async Task<Scenario> CreateAsync(SealApiFactory factory)
    {
        var s = Guid.NewGuid().ToString("N")[..8];
        var sc = new Scenario($"reg-{s}", $"dept-{s}-a", $"dept-{s}-b", $"twp-{s}-x", $"twp-{s}-y",
            $"mat-{s}-a", $"mat-{s}-b", $"agr-{s}", $"seal-{s}");
        var admin = factory.Admin();
        await Created(admin, "regions", new { id = sc.Region, name = $"测试县{s}" });
        await Created(admin, "departments", new { id = sc.DeptA, regionId = sc.Region, name = "县甲局" });
        await Created(admin, "departments", new { id = sc.DeptB, regionId = sc.Region, name = "县乙局" });
        await Created(admin, "townships", new { id = sc.TownX, regionId = sc.Region, name = "甲镇", kind = "town" });
        await Created(admin, "townships", new { id = sc.TownY, regionId = sc.Region, name = "乙街道", kind = "subdistrict" });
        await Created(admin, "matters", new { id = sc.MatterA, regionId = sc.Region, departmentId = sc.DeptA, name = "甲局许可事项", powerType = "license" });
        await Created(admin, "matters", new { id = sc.MatterB, regionId = sc.Region, departmentId = sc.DeptB, name = "乙局确认事项", powerType = "confirmation" });
        await Created(admin, "agreements", new
        {
            id = sc.Agreement,
            departmentId = sc.DeptA,
            townshipId = sc.TownX,
            name = "县甲局委托甲镇办理协议",
            period = new { from = "2024-01-01", to = "2099-12-31" },
            matters = new[] { new { matterId = sc.MatterA, mode = "entrusted-handling", steps = new[] { "accept", "review", "decide", "issue" } } },
            reason = "签订协议",
        });
        (await admin.Post($"/api/v1/agreements/{sc.Agreement}/file",
            new { reason = "司法局备案", filingNumber = "司备〔2024〕1号", filingDate = "2024-02-01" })).EnsureSuccessStatusCode();
        await Created(admin, "seals", new
        {
            id = sc.Seal,
            name = "测试县甲局审批专用章（甲镇）",
            kind = "department-no2",
            actingBodyId = sc.DeptA,
            holdingTownshipId = sc.TownX,
            validity = new { from = "2024-01-01" },
            reason = "刻制2号章",
        });
        return sc;
    }

    private static async Task Created(HttpClient admin, string path, object body) =>
        await (await admin.Post($"/api/v1/{path}", body)).Json(HttpStatusCode.Created);

    /// <summary>A stamp-check request body for the scenario's seal and matter.</summary>
    public object Check(string step = "decide", string? subject = null, string? sealId = null, string? matterId = null) =>
        new { sealId = sealId ?? Seal, matterId = matterId ?? MatterA, step, subjectTownshipId = subject ?? TownX };
}
