using SealService.Domain.Model;

namespace SealService.Domain.Catalogue;

/// <summary>What one CSV row says, in registry terms. Department names are as printed.</summary>
internal sealed record RowMapping(
    string Department,
    string? SupervisingDepartment,
    string Name,
    string PowerTypeText,
    string? Code,
    DelegationMode? Mode,
    IReadOnlyList<CaseStep> Steps,
    string? Handling,
    string? Remark,
    MatterLevel Level = MatterLevel.Township);

/// <summary>One file format: its header, its region and how a row maps to a matter.</summary>
internal sealed record CatalogueFormat(string Key, string[] Header, Region Region, string RegionSlug, Func<CatalogueRow, RowMapping> Map);

/// <summary>The small mapping per catalogue file (see catalogs/README.md).</summary>
internal static class CatalogueFormats
{
    private static readonly CaseStep[] AllSteps = [CaseStep.Accept, CaseStep.InitialCheck, CaseStep.Review, CaseStep.ReCheck, CaseStep.Decide, CaseStep.Issue];

    public static readonly Region Mudan = new("reg-mudan", "牡丹区", "菏泽市");
    public static readonly Region Shanting = new("reg-shanting", "山亭区", "枣庄市");
    public static readonly Region Mianxian = new("reg-mianxian", "勉县", "汉中市");
    public static readonly Region Zezhou = new("reg-zezhou", "泽州县", "晋城市");

    /// <summary>泽州县's town list names no owner for most rows; the notice's coordinating body owns them.</summary>
    public const string ZezhouDefaultDepartment = "县行政审批服务管理局";

    public static readonly IReadOnlyList<CatalogueFormat> All =
    [
        new("heze-mudan", ["seq", "name", "power_type", "delegating_department", "supervising_department"], Mudan, "mudan", r => new(
            r.Required("delegating_department"), r.Optional("supervising_department"), r.Required("name"), r.Required("power_type"),
            null, null, [], null, null)),

        new("zaozhuang-shanting", ["seq", "mode", "department", "code", "name", "power_type", "remark"], Shanting, "shanting", r =>
        {
            var (mode, steps) = ShantingMode(r);
            return new(r.Required("department"), null, r.Required("name"), r.Required("power_type"), r.Optional("code"),
                mode, steps, r.Required("mode"), r.Optional("remark"));
        }),

        new("hanzhong-mianxian", ["seq", "department", "name", "power_type", "published_online", "code"], Mianxian, "mianxian", r =>
        {
            var name = r.Required("name");
            var published = r.Required("published_online") switch
            {
                "是" => "已在网上公布",
                "否" => "未在网上公布",
                var other => throw r.Fail($"published_online 应为 是/否，实为「{other}」"),
            };

            // The (直接划转)/(划转委托) note in the name is how this list states the mode.
            var (mode, steps) = MianxianMode(name);
            return new(r.Required("department"), null, name, r.Required("power_type"), r.Optional("code"), mode, steps, null, published);
        }),

        new("jincheng-zezhou-town", ["seq", "name", "power_type", "handling", "remark"], Zezhou, "zezhou", r =>
        {
            var remark = r.Optional("remark");
            var (mode, steps) = ZezhouHandling(r, r.Optional("handling"), remark);
            return new(ZezhouDepartment(r, remark), null, r.Required("name"), r.Required("power_type"), null, mode, steps,
                r.Optional("handling"), remark);
        }),

        new("jincheng-zezhou-village", ["seq", "name", "power_type", "handling"], Zezhou, "zezhou", r =>
        {
            var handling = r.Required("handling");
            CaseStep[] steps = handling switch
            {
                "初审或帮办代办" => [CaseStep.InitialCheck],
                "接受申请" => [CaseStep.Accept], // one row: the station receives the application and passes it on
                _ => throw r.Fail($"村级办理方式只能是「初审或帮办代办」或「接受申请」，实为「{handling}」(village stations only pre-check)"),
            };
            return new(ZezhouDefaultDepartment, null, r.Required("name"), r.Required("power_type"), null,
                DelegationMode.EntrustedAcceptance, steps, handling, null, MatterLevel.Village);
        }),
    ];

    public static CatalogueFormat? Find(string fileName)
    {
        var key = Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/').Split('/')[^1]);
        return All.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>勉县 states the mode as a note in the name: （直接划转） or （划转委托）; other rows leave it open.</summary>
    private static (DelegationMode?, CaseStep[]) MianxianMode(string name)
    {
        if (name.EndsWith("（直接划转）", StringComparison.Ordinal))
        {
            return (DelegationMode.DirectDevolution, AllSteps);
        }

        return name.EndsWith("（划转委托）", StringComparison.Ordinal) ? (DelegationMode.EntrustedHandling, AllSteps) : (null, []);
    }

    private static (DelegationMode, CaseStep[]) ShantingMode(CatalogueRow r) => r.Required("mode") switch
    {
        "直接下放" => (DelegationMode.DirectDevolution, AllSteps),
        "下放实质性审核权" => (DelegationMode.ReviewDevolved, [CaseStep.Accept, CaseStep.InitialCheck, CaseStep.Review]),
        "服务窗口前移" => (DelegationMode.EntrustedAcceptance, [CaseStep.Accept, CaseStep.InitialCheck]),
        var other => throw r.Fail($"未知的下放方式「{other}」(unknown mode)"),
    };

    /// <summary>
    /// 泽州县 "handling" → mode and steps. An empty handling means the list does not limit the steps: these are
    /// services, filings and certifications the town centre completes itself under its one approval seal, so they
    /// are read as DirectDevolution with every step (a remark "县×局直接赋权" says the same explicitly).
    /// </summary>
    private static (DelegationMode, CaseStep[]) ZezhouHandling(CatalogueRow r, string? handling, string? remark) => handling switch
    {
        null => (DelegationMode.DirectDevolution, AllSteps),
        "乡级负责受理" => (DelegationMode.EntrustedAcceptance, [CaseStep.Accept]),
        "乡级负责初审" => (DelegationMode.EntrustedAcceptance, [CaseStep.InitialCheck]),
        "乡级负责受理、初审" => (DelegationMode.EntrustedAcceptance, [CaseStep.Accept, CaseStep.InitialCheck]),
        "乡级负责受理、审核" => (DelegationMode.ReviewDevolved, [CaseStep.Accept, CaseStep.Review]),
        "乡级负责审核" => (DelegationMode.ReviewDevolved, [CaseStep.Review]),
        "乡级负责复核" => (DelegationMode.ReviewDevolved, [CaseStep.ReCheck]),
        _ => throw r.Fail($"未知的办理环节「{handling}」(unknown handling){(remark is null ? "" : "；备注：" + remark)}"),
    };

    /// <summary>"县人社局直接赋权" names the owner; 县行政审批局 is the short form of the notice's 县行政审批服务管理局.</summary>
    private static string ZezhouDepartment(CatalogueRow r, string? remark)
    {
        if (remark is null)
        {
            return ZezhouDefaultDepartment;
        }

        const string suffix = "直接赋权";
        if (!remark.EndsWith(suffix, StringComparison.Ordinal) || remark.Length <= suffix.Length)
        {
            throw r.Fail($"无法识别的备注「{remark}」(unrecognised remark)");
        }

        var name = remark[..^suffix.Length];
        return name == "县行政审批局" ? ZezhouDefaultDepartment : name;
    }
}
