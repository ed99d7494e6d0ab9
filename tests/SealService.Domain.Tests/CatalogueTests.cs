using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Domain.Tests;

public class CatalogueTests
{
    [Fact]
    public void Embedded_catalogues_parse_to_all_364_rows()
    {
        var batches = SeedCatalogues.ParseAll();
        Assert.Equal(new[] { 50, 13, 158, 99, 44 }, batches.Select(b => b.Matters.Count));
        Assert.Equal(364, batches.Sum(b => b.Matters.Count));
        Assert.Equal(364, batches.SelectMany(b => b.Matters).Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public void Embedded_copy_matches_the_shared_catalogues_when_present()
    {
        // The shared catalogues sit beside the repository in CI; a user's clone has none, and then there is nothing to compare.
        var shared = FindShared(new DirectoryInfo(AppContext.BaseDirectory));
        if (shared is null)
        {
            return;
        }

        foreach (var file in SeedCatalogues.Files)
        {
            using var embedded = SeedCatalogues.Open(file);
            Assert.Equal(File.ReadAllText(Path.Combine(shared, file)), embedded.ReadToEnd());
        }
    }

    private static string? FindShared(DirectoryInfo? dir)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "catalogs");
            if (File.Exists(Path.Combine(candidate, "heze-mudan.csv")))
            {
                return candidate;
            }
        }

        return null;
    }

    [Fact]
    public void Files_map_to_their_regions()
    {
        var regions = SeedCatalogues.ParseAll().ToDictionary(b => b.File, b => b.Region.Name);
        Assert.Equal("牡丹区", regions["heze-mudan.csv"]);
        Assert.Equal("山亭区", regions["zaozhuang-shanting.csv"]);
        Assert.Equal("勉县", regions["hanzhong-mianxian.csv"]);
        Assert.Equal("泽州县", regions["jincheng-zezhou-town.csv"]);
        Assert.Equal("泽州县", regions["jincheng-zezhou-village.csv"]);
    }

    [Fact]
    public void Quirks_are_kept_as_printed()
    {
        var all = SeedCatalogues.ParseAll().SelectMany(b => b.Matters).ToList();

        var compound = all.First(m => m.PowerTypeText == "公共服务（行政给付）");
        Assert.Equal(PowerType.PublicService, compound.PowerType);
        Assert.Equal(PowerType.Benefit, compound.SecondaryPowerType);
        Assert.Contains(all, m => m.PowerTypeText == "公共服务(行政给付)" && m.SecondaryPowerType == PowerType.Benefit);

        var direct = all.Single(m => m.Id == "mat-hanzhong-mianxian-001");
        Assert.Equal("公共场所卫生许可、延续、变更、注销（直接划转）", direct.Name);
        Assert.Equal(DelegationMode.DirectDevolution, direct.CatalogueMode);
        Assert.Equal("000123020000", direct.Code);

        Assert.Contains(all, m => m.Code is { } c && c.EndsWith('Y'));
        Assert.Contains(all, m => m.Code?.Length == 13);
        Assert.Contains(all, m => m.Code is null);

        // Same matter, different names in different counties: two matters.
        Assert.Contains(all, m => m.Name == "再生育审批" && m.RegionId == "reg-shanting");
        Assert.Contains(all, m => m.Name.StartsWith("再生育审批办理", StringComparison.Ordinal) && m.RegionId == "reg-mianxian");
    }

    [Theory]
    [InlineData(1, "乡级负责受理", DelegationMode.EntrustedAcceptance, "accept")]
    [InlineData(2, "乡级负责受理、审核", DelegationMode.ReviewDevolved, "accept,review")]
    [InlineData(3, "乡级负责审核", DelegationMode.ReviewDevolved, "review")]
    [InlineData(5, "乡级负责受理、初审", DelegationMode.EntrustedAcceptance, "accept,initial-check")]
    [InlineData(7, null, DelegationMode.DirectDevolution, "accept,initial-check,review,re-check,decide,issue")]
    [InlineData(20, null, DelegationMode.DirectDevolution, "accept,initial-check,review,re-check,decide,issue")]
    public void Zezhou_handling_maps_to_steps(int seq, string? handling, DelegationMode mode, string steps)
    {
        var m = SeedCatalogues.ParseAll().Single(b => b.File == "jincheng-zezhou-town.csv").Matters.Single(x => x.Source!.Seq == seq);
        Assert.Equal(handling, m.Handling);
        Assert.Equal(mode, m.CatalogueMode);
        Assert.Equal(steps, string.Join(',', m.CatalogueSteps.Select(s => s.Name())));
    }

    [Fact]
    public void Zezhou_owner_comes_from_the_remark_or_defaults_to_the_approval_bureau()
    {
        var town = SeedCatalogues.ParseAll().Single(b => b.File == "jincheng-zezhou-town.csv");
        Assert.Equal("dept-zezhou-rsj", town.Matters.Single(m => m.Source!.Seq == 20).DepartmentId);
        Assert.Equal("dept-zezhou-spj", town.Matters.Single(m => m.Source!.Seq == 1).DepartmentId);
        Assert.Contains(town.Departments, d => d.Name == "县行政审批服务管理局");
        Assert.DoesNotContain(town.Departments, d => d.Name == "县行政审批局");
    }

    [Fact]
    public void Village_rows_never_go_beyond_accept_or_initial_check()
    {
        var village = SeedCatalogues.ParseAll().Single(b => b.File == "jincheng-zezhou-village.csv");
        Assert.All(village.Matters, m =>
        {
            Assert.Equal(MatterLevel.Village, m.Level);
            Assert.Equal(m.Handling == "接受申请" ? [CaseStep.Accept] : [CaseStep.InitialCheck], m.CatalogueSteps);
        });
        Assert.Equal(43, village.Matters.Count(m => m.Handling == "初审或帮办代办"));
    }

    [Theory]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,甲,行政许可,区行政审批服务局,区市场监管局\n2,乙,行政许可,区行政审批服务局\n", 3, "列")]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,甲,行政许可,区行政审批服务局,区市场监管局\nx,乙,行政许可,区行政审批服务局,区市场监管局\n", 3, "序号")]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,甲,行政许可,区行政审批服务局,区市场监管局\n\n1,乙,行政许可,区行政审批服务局,区市场监管局\n", 4, "重复")]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,甲,神秘权力,区行政审批服务局,区市场监管局\n", 2, "权力类型")]
    [InlineData("seq,name,power,delegating_department,supervising_department\n1,甲,行政许可,区行政审批服务局,区市场监管局\n", 1, "表头")]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,,行政许可,区行政审批服务局,区市场监管局\n", 2, "name")]
    [InlineData("seq,name,power_type,delegating_department,supervising_department\n1,\"甲,行政许可,区行政审批服务局,区市场监管局\n", 2, "引号")]
    public void Malformed_rows_fail_with_file_and_line(string csv, int line, string hint)
    {
        var e = Assert.Throws<CatalogueException>(() => CatalogueParser.Parse(new StringReader(csv), "upload/heze-mudan.csv"));
        Assert.Equal(ErrorCodes.CatalogueRowInvalid, e.Code);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"heze-mudan.csv:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_code_and_unknown_mode_are_rejected()
    {
        const string header = "seq,mode,department,code,name,power_type,remark\n";
        var badCode = Assert.Throws<CatalogueException>(() =>
            CatalogueParser.Parse(new StringReader(header + "1,直接下放,区行政审批服务局,37000ABC,甲,行政许可,\n"), "zaozhuang-shanting.csv"));
        Assert.Equal(2, badCode.Line);
        var badMode = Assert.Throws<CatalogueException>(() =>
            CatalogueParser.Parse(new StringReader(header + "1,随便下放,区行政审批服务局,,甲,行政许可,\n"), "zaozhuang-shanting.csv"));
        Assert.Contains("下放方式", badMode.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_file_name_is_rejected()
    {
        var e = Assert.Throws<CatalogueException>(() => CatalogueParser.Parse(new StringReader("a,b\n"), "other.csv"));
        Assert.Equal(ErrorCodes.CatalogueUnknownFormat, e.Code);
    }

    [Fact]
    public void Quoted_fields_with_commas_parse()
    {
        var batch = CatalogueParser.Parse(new StringReader(
            "seq,name,power_type,delegating_department,supervising_department\r\n1,\"甲, \"\"乙\"\"\",行政许可,区行政审批服务局,区市场监管局\r\n"), "heze-mudan.csv");
        Assert.Equal("甲, \"乙\"", batch.Matters.Single().Name);
    }
}

public class CatalogueLimitTests
{
    [Fact]
    public void An_oversized_file_is_rejected_while_reading()
    {
        var row = "1,甲,行政许可,区行政审批服务局,区市场监管局\n";
        var big = "seq,name,power_type,delegating_department,supervising_department\n" +
            string.Concat(Enumerable.Range(1, 20_001).Select(i => row.Replace("1,甲", $"{i},{new string('甲', 190)}", StringComparison.Ordinal)));
        var e = Assert.Throws<CatalogueException>(() => CatalogueParser.Parse(new StringReader(big), "heze-mudan.csv"));
        Assert.Contains("too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_over_long_record_is_rejected()
    {
        var csv = "seq,name,power_type,delegating_department,supervising_department\n1," + new string('甲', 20_000) + ",行政许可,a,b\n";
        var e = Assert.Throws<CatalogueException>(() => CatalogueParser.Parse(new StringReader(csv), "heze-mudan.csv"));
        Assert.Equal(2, e.Line);
    }
}
