using System.Text;

namespace SealService.Domain.Catalogue;

/// <summary>
/// Stable, readable department ids for departments created from catalogue names: dept-&lt;region&gt;-&lt;slug&gt;.
/// Known names get a pinyin abbreviation; any other name gets a short hash so re-imports agree.
/// </summary>
public static class DepartmentIds
{
    private static readonly Dictionary<string, string> Slugs = new(StringComparer.Ordinal)
    {
        ["行政审批服务局"] = "spj",
        ["行政审批服务管理局"] = "spj",
        ["市场监管局"] = "scjg",
        ["人社局"] = "rsj",
        ["人力资源和社会保障局"] = "rsj",
        ["农业农村局"] = "nync",
        ["卫健局"] = "wjj",
        ["卫体局"] = "wtj",
        ["发改局"] = "fgj",
        ["残联"] = "cl",
        ["交通运输局"] = "jtys",
        ["住建局"] = "zjj",
        ["应急管理局"] = "yjj",
        ["教体局"] = "jtj",
        ["文旅局"] = "wlj",
        ["林业局"] = "lyj",
        ["自然资源局"] = "zrzy",
        ["医疗保障局"] = "ybj",
        ["医保局"] = "ybj",
        ["乡村振兴局"] = "xczx",
        ["住房保障中心"] = "zfbz",
        ["公安局"] = "gaj",
        ["养老保险经办机构"] = "ylbx",
        ["县委政法委"] = "zfw",
        ["司法局"] = "sfj",
        ["城市公用事业服务中心"] = "gysy",
        ["武装部"] = "wzb",
        ["民宗局"] = "mzj",
        ["民政局"] = "mzhj",
        ["水利局"] = "slj",
        ["生态环境分局"] = "sthj",
        ["统计局"] = "tjj",
        ["退役军人事务局"] = "tyjr",
        ["市交警支队牡丹区大队"] = "jjdd",
    };

    public static string For(string regionSlug, string departmentName)
    {
        // "区人社局" and "县人社局" are the region's own 人社局.
        var key = departmentName.Length > 1 && departmentName[0] is '区' or '县' && !departmentName.StartsWith("县委", StringComparison.Ordinal)
            ? departmentName[1..]
            : departmentName;
        return Slugs.TryGetValue(key, out var slug)
            ? $"dept-{regionSlug}-{slug}"
            : $"dept-{regionSlug}-{Fnv1a(departmentName):x8}";
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
