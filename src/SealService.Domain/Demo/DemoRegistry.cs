using SealService.Domain.Catalogue;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Domain.Demo;

/// <summary>
/// The demo registry loaded on the first start of an empty store: 牡丹区 (委托办理 沙土镇, 委托受理 吴店镇),
/// 山亭区 (nine 双十镇 in the modes the CSV gives) and 泽州县 (one town with its own seal and the CSV's steps).
/// Pure: built from the embedded catalogues; ids are fixed so docs and tests can name them.
/// Filing numbers are marked （演示）: they are demo data, not real filings.
/// </summary>
public static class DemoRegistry
{
    public const string Actor = "system (demo seed)";
    public const string Reason = "演示数据初始化 (demo registry)";

    public static readonly (string Id, string Name)[] MudanTownships =
    [
        ("dongcheng", "东城街道"), ("xicheng", "西城街道"), ("nancheng", "南城街道"), ("beicheng", "北城街道"),
        ("mudan", "牡丹街道"), ("helou", "何楼街道"), ("huangzhen", "皇镇街道"), ("shatu", "沙土镇"), ("wudian", "吴店镇"),
        ("anxing", "安兴镇"), ("huji", "胡集镇"), ("dusi", "都司镇"), ("huanggang", "黄堽镇"), ("xiaoliu", "小留镇"),
        ("gaozhuang", "高庄镇"), ("licun", "李村镇"), ("dahuangji", "大黄集镇"), ("wanghaotun", "王浩屯镇"),
    ];

    /// <summary>The nine "双十镇" of 山亭区 (山城街道 is added as a township without delegated matters).</summary>
    public static readonly (string Id, string Name)[] ShantingTownships =
    [
        ("xiji", "西集镇"), ("sangcun", "桑村镇"), ("chengtou", "城头镇"), ("fengmao", "冯卯镇"), ("dianzi", "店子镇"),
        ("shuiquan", "水泉镇"), ("xuzhuang", "徐庄镇"), ("beizhuang", "北庄镇"), ("fucheng", "凫城镇"),
    ];

    public const string ZezhouTownName = "××镇";

    public static RegistrySeed Build(DateTimeOffset now)
    {
        var batches = SeedCatalogues.ParseAll();
        var b = new Builder(now, batches.SelectMany(x => x.Matters).ToList());
        foreach (var batch in batches)
        {
            b.Regions.TryAdd(batch.Region.Id, batch.Region);
            foreach (var d in batch.Departments)
            {
                b.Departments.TryAdd(d.Id, d);
            }
        }

        BuildMudan(b);
        BuildShanting(b);
        BuildZezhou(b);
        return new RegistrySeed([.. b.Regions.Values], [.. b.Departments.Values], b.Townships, b.Stations, b.Agreements, b.Seals);
    }

    private static void BuildMudan(Builder b)
    {
        foreach (var (id, name) in MudanTownships)
        {
            b.Township("reg-mudan", $"twp-mudan-{id}", name);
        }

        var spjMatters = b.MattersOf("heze-mudan.csv", "dept-mudan-spj");
        var all = new[] { CaseStep.Accept, CaseStep.InitialCheck, CaseStep.Review, CaseStep.ReCheck, CaseStep.Decide, CaseStep.Issue };
        b.Agreement("agr-mudan-spj-shatu", "dept-mudan-spj", "twp-mudan-shatu", "牡丹区行政审批服务局委托沙土镇办理政务服务事项协议",
            "菏区司法备〔2023〕1号（演示）", spjMatters.Select(m => new AgreementMatter(m.Id, DelegationMode.EntrustedHandling, all)));
        b.Agreement("agr-mudan-spj-wudian", "dept-mudan-spj", "twp-mudan-wudian", "牡丹区行政审批服务局委托吴店镇受理政务服务事项协议",
            "菏区司法备〔2023〕2号（演示）", spjMatters.Select(m => new AgreementMatter(m.Id, DelegationMode.EntrustedAcceptance, [CaseStep.Accept, CaseStep.InitialCheck])));

        b.Seal("seal-mudan-spj-shatu", "牡丹区行政审批服务局审批专用章（沙土镇）", SealKind.DepartmentNo2, "dept-mudan-spj", "twp-mudan-shatu",
            "牡丹区行政审批服务局", "审批专用章（沙土镇）");
        b.Seal("seal-mudan-spj-wudian", "牡丹区行政审批服务局审批专用章（吴店镇）", SealKind.DepartmentNo2, "dept-mudan-spj", "twp-mudan-wudian",
            "牡丹区行政审批服务局", "审批专用章（吴店镇）");
        b.Seal("seal-mudan-spj", "牡丹区行政审批服务局审批专用章", SealKind.DepartmentOwn, "dept-mudan-spj", null, "牡丹区行政审批服务局", "审批专用章");
    }

    private static void BuildShanting(Builder b)
    {
        b.Township("reg-shanting", "twp-shanting-shancheng", "山城街道", TownshipKind.Subdistrict);
        var matters = b.MattersOf("zaozhuang-shanting.csv", null);
        var byDepartment = matters.GroupBy(m => m.DepartmentId).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var n = 0;
        foreach (var (id, name) in ShantingTownships)
        {
            var twp = $"twp-shanting-{id}";
            b.Township("reg-shanting", twp, name);
            foreach (var group in byDepartment)
            {
                var dept = b.Departments[group.Key];
                var slug = group.Key["dept-shanting-".Length..];
                b.Agreement($"agr-shanting-{slug}-{id}", group.Key, twp, $"山亭区{dept.Name[1..]}向{name}下放政务服务事项协议",
                    $"山司法备〔2021〕{++n}号（演示）", group.Select(m => new AgreementMatter(m.Id, m.CatalogueMode!.Value, m.CatalogueSteps)));
            }

            b.Seal($"seal-shanting-{id}", $"山亭区{name}人民政府行政审批专用章", SealKind.TownshipOwn, twp, twp, $"山亭区{name}人民政府", "行政审批专用章");
        }

        // Departments decide what townships only accept (服务窗口前移) and issue on sight of a review (见章发证).
        foreach (var group in byDepartment.Where(g => g.Any(m => m.CatalogueMode is DelegationMode.EntrustedAcceptance or DelegationMode.ReviewDevolved)))
        {
            var dept = b.Departments[group.Key];
            var slug = group.Key["dept-shanting-".Length..];
            b.Seal($"seal-shanting-{slug}", $"山亭区{dept.Name[1..]}审批专用章", SealKind.DepartmentOwn, group.Key, null, $"山亭区{dept.Name[1..]}", "审批专用章");
        }
    }

    private static void BuildZezhou(Builder b)
    {
        const string twp = "twp-zezhou-xx";
        b.Township("reg-zezhou", twp, ZezhouTownName);
        b.Stations.Add(new VillageStation("vil-zezhou-xx-demo", twp, "××村便民服务站"));

        var town = b.MattersOf("jincheng-zezhou-town.csv", null).Concat(b.MattersOf("jincheng-zezhou-village.csv", null));
        var n = 0;
        foreach (var group in town.GroupBy(m => m.DepartmentId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var dept = b.Departments[group.Key];
            var slug = group.Key["dept-zezhou-".Length..];
            b.Agreement($"agr-zezhou-{slug}-xx", group.Key, twp, $"泽州县{dept.Name[1..]}向{ZezhouTownName}下放政务服务事项备忘录",
                $"泽司法备〔2022〕{++n}号（演示）", group.Select(m => new AgreementMatter(m.Id, m.CatalogueMode!.Value, m.CatalogueSteps)));
        }

        b.Seal("seal-zezhou-xx", $"泽州县{ZezhouTownName}人民政府行政审批服务专用章", SealKind.TownshipOwn, twp, twp, $"泽州县{ZezhouTownName}人民政府", "行政审批服务专用章");
        b.Seal("seal-zezhou-spj", "泽州县行政审批服务管理局行政审批专用章", SealKind.DepartmentOwn, "dept-zezhou-spj", null, "泽州县行政审批服务管理局", "行政审批专用章");
    }

    private sealed class Builder(DateTimeOffset now, List<Matter> matters)
    {
        private readonly ChangeInfo _change = new(Actor, now, Reason);
        private readonly DateOnly _today = ChinaTime.DateOf(now);

        public Dictionary<string, Region> Regions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Department> Departments { get; } = new(StringComparer.Ordinal);

        public List<Township> Townships { get; } = [];

        public List<VillageStation> Stations { get; } = [];

        public List<DelegationAgreement> Agreements { get; } = [];

        public List<Seal> Seals { get; } = [];

        /// <summary>Periods start a year back and run three years on: effective at seed time, with history to query.</summary>
        private DatePeriod Period => new(_today.AddYears(-1), _today.AddYears(3));

        public List<Matter> MattersOf(string file, string? departmentId) =>
            [.. matters.Where(m => m.Source!.File == file && (departmentId is null || m.DepartmentId == departmentId))];

        public void Township(string regionId, string id, string name, TownshipKind? kind = null) =>
            Townships.Add(new Township(id, regionId, name, kind ?? (name.EndsWith("街道", StringComparison.Ordinal) ? TownshipKind.Subdistrict : TownshipKind.Town)));

        public void Agreement(string id, string departmentId, string townshipId, string title, string filingNumber, IEnumerable<AgreementMatter> items) =>
            Agreements.Add(new DelegationAgreement
            {
                Id = id,
                Version = 1,
                DepartmentId = departmentId,
                TownshipId = townshipId,
                Title = title,
                Period = Period,
                FilingNumber = filingNumber,
                FilingDate = Period.From,
                Status = AgreementStatus.Effective,
                Matters = [.. items],
                Change = _change,
            });

        public void Seal(string id, string text, SealKind kind, string actingBodyId, string? holder, string arc, string purpose) =>
            Seals.Add(new Seal
            {
                Id = id,
                Version = 1,
                Text = text,
                Kind = kind,
                ActingBodyId = actingBodyId,
                HoldingTownshipId = holder,
                Validity = new DatePeriod(Period.From, null),
                KeyRef = Model.Seal.DefaultKeyRef(id),
                ArcText = arc,
                PurposeText = purpose,
                Status = SealStatus.Active,
                Change = _change,
            });
    }
}
