using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Storage.Tests;

/// <summary>Agreement and seal changes, their history, and the policy reading the real store at an instant.</summary>
public abstract class VersioningTestsContract(IStoreEngine engine)
{
    private static readonly Caller SpjOfficer = new(CallerRole.DepartmentOfficer, "李科长", DepartmentId: "dept-mudan-spj");
    private static readonly Caller RsjOfficer = new(CallerRole.DepartmentOfficer, "赵科长", DepartmentId: "dept-mudan-rsj");
    private static readonly Caller ShatuClerk = new(CallerRole.TownshipClerk, "王窗口", TownshipId: "twp-mudan-shatu");

    private static Task<PolicyDecision> ShatuDecidesAsync(TestStore t, DateTimeOffset? at = null) =>
        t.Stamps.CheckAsync(new StampRequest(ShatuClerk, "seal-mudan-spj-shatu", "mat-heze-mudan-001", CaseStep.Decide, "twp-mudan-shatu", null,
            at ?? t.Clock.Now), default);

    [Fact]
    public async Task Revoking_an_agreement_refuses_the_next_stamp_and_the_past_stays_answerable()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var before = await ShatuDecidesAsync(t);
        Assert.True(before.Allowed, before.Message);
        Assert.Equal(("agr-mudan-spj-shatu", 1), (before.Basis!.AgreementId, before.Basis.AgreementVersion));
        var tBefore = t.Clock.Now;

        t.Clock.Advance(TimeSpan.FromMinutes(5));
        var revoked = await t.Agreements.RevokeAsync(SpjOfficer, "agr-mudan-spj-shatu", "收回委托权限", default);
        Assert.Equal(2, revoked.Version);

        Assert.Equal(RefusalCodes.AgreementRevoked, (await ShatuDecidesAsync(t)).Code);
        var asOfBefore = await ShatuDecidesAsync(t, tBefore);
        Assert.True(asOfBefore.Allowed);
        Assert.Equal(1, asOfBefore.Basis!.AgreementVersion);

        Assert.Equal(AgreementStatus.Effective, (await t.Agreements.GetAsOfAsync("agr-mudan-spj-shatu", tBefore, default)).Status);
        Assert.Equal(AgreementStatus.Revoked, (await t.Agreements.GetAsOfAsync("agr-mudan-spj-shatu", t.Clock.Now, default)).Status);
        await Assert.ThrowsAsync<DomainException>(() => t.Agreements.GetAsOfAsync("agr-mudan-spj-shatu", TestStore.Start.AddDays(-1), default));
    }

    [Fact]
    public async Task Suspending_then_resuming_a_seal_changes_each_next_decision()
    {
        await using var t = await TestStore.CreateAsync(engine);
        await t.Seals.SuspendAsync(SpjOfficer, "seal-mudan-spj-shatu", "印章送检", default);
        Assert.Equal(RefusalCodes.SealSuspended, (await ShatuDecidesAsync(t)).Code);
        var tSuspended = t.Clock.Now;

        t.Clock.Advance(TimeSpan.FromHours(1));
        await t.Seals.ResumeAsync(SpjOfficer, "seal-mudan-spj-shatu", "送检完毕", default);
        var resumed = await ShatuDecidesAsync(t);
        Assert.True(resumed.Allowed);
        Assert.Equal(3, resumed.Basis!.SealVersion);
        Assert.Equal(RefusalCodes.SealSuspended, (await ShatuDecidesAsync(t, tSuspended)).Code);

        t.Clock.Advance(TimeSpan.FromHours(1));
        await t.Seals.RetireAsync(TestStore.Admin, "seal-mudan-spj-shatu", "一枚印章管审批改革，旧章封存", default);
        Assert.Equal(RefusalCodes.SealRetired, (await ShatuDecidesAsync(t)).Code);
        var e = await Assert.ThrowsAsync<DomainException>(() => t.Seals.ResumeAsync(TestStore.Admin, "seal-mudan-spj-shatu", "想恢复", default));
        Assert.Equal(ErrorCodes.InvalidStateTransition, e.Code);

        var history = await t.Seals.HistoryAsync("seal-mudan-spj-shatu", default);
        Assert.Equal([SealStatus.Active, SealStatus.Suspended, SealStatus.Active, SealStatus.Retired], history.Select(s => s.Status));
        Assert.Equal("送检完毕", history[2].Change.Reason);
        Assert.StartsWith("李科长", history[2].Change.Actor, StringComparison.Ordinal);
        Assert.Equal(TestStore.Start.AddMinutes(1).AddHours(1), history[2].Change.At);
    }

    [Fact]
    public async Task An_agreement_goes_from_draft_to_filed_to_suspended_and_back_with_who_when_why()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var draft = new AgreementDraft(null, "dept-mudan-spj", "twp-mudan-anxing", "委托安兴镇办理个体工商户登记",
            new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2028, 2, 29)),
            [new AgreementMatter("mat-heze-mudan-001", DelegationMode.EntrustedHandling, [CaseStep.Accept, CaseStep.Decide, CaseStep.Issue])]);
        var created = await t.Agreements.CreateAsync(SpjOfficer, draft, "新签协议", default);
        Assert.StartsWith("agr-", created.Id, StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.Draft, created.Status);

        await t.Seals.CreateAsync(SpjOfficer, new SealDraft("seal-mudan-spj-anxing", "牡丹区行政审批服务局审批专用章（安兴镇）", SealKind.DepartmentNo2,
            "dept-mudan-spj", "twp-mudan-anxing", new DatePeriod(new DateOnly(2026, 3, 1), null)), "刻制2号章", default);
        var clerk = new Caller(CallerRole.TownshipClerk, "孙窗口", TownshipId: "twp-mudan-anxing");
        Task<PolicyDecision> Check() => t.Stamps.CheckAsync(clerk, "seal-mudan-spj-anxing", "mat-heze-mudan-001", CaseStep.Decide, "twp-mudan-anxing", null, default);

        Assert.Equal(RefusalCodes.AgreementNotFiled, (await Check()).Code);
        t.Clock.Advance(TimeSpan.FromMinutes(1));
        await t.Agreements.FileAsync(SpjOfficer, created.Id, "菏区司法备〔2026〕9号", new DateOnly(2026, 3, 1), "司法局备案", default);
        Assert.True((await Check()).Allowed);
        t.Clock.Advance(TimeSpan.FromMinutes(1));
        await t.Agreements.SuspendAsync(SpjOfficer, created.Id, "整改", default);
        Assert.Equal(RefusalCodes.AgreementSuspended, (await Check()).Code);
        t.Clock.Advance(TimeSpan.FromMinutes(1));
        await t.Agreements.ResumeAsync(SpjOfficer, created.Id, "整改完成", default);
        Assert.True((await Check()).Allowed);

        // Steps the agreement does not list are refused even where the mode would allow them.
        var review = await t.Stamps.CheckAsync(clerk, "seal-mudan-spj-anxing", "mat-heze-mudan-001", CaseStep.Review, "twp-mudan-anxing", null, default);
        Assert.Equal(RefusalCodes.StepNotAllowed, review.Code);

        // 有进有出: amending the matters is a new version too.
        t.Clock.Advance(TimeSpan.FromMinutes(1));
        var amended = await t.Agreements.UpdateAsync(SpjOfficer, created.Id, 4,
            draft with { Matters = [.. draft.Matters, new AgreementMatter("mat-heze-mudan-002", DelegationMode.EntrustedAcceptance, [CaseStep.Accept])] },
            "增加公司登记受理", default);
        Assert.Equal(5, amended.Version);
        Assert.Equal(AgreementStatus.Effective, amended.Status);

        var history = await t.Agreements.HistoryAsync(created.Id, default);
        Assert.Equal(["新签协议", "司法局备案", "整改", "整改完成", "增加公司登记受理"], history.Select(h => h.Change.Reason));
        Assert.Equal("菏区司法备〔2026〕9号", history[^1].FilingNumber);
        Assert.Equal(2, history[^1].Matters.Count);

        var stale = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.UpdateAsync(SpjOfficer, created.Id, 4, draft, "旧版本", default));
        Assert.Equal(ErrorCodes.Conflict, stale.Code);
        var refile = await Assert.ThrowsAsync<DomainException>(() =>
            t.Agreements.FileAsync(SpjOfficer, created.Id, "x", new DateOnly(2026, 3, 1), "再备案", default));
        Assert.Equal(ErrorCodes.InvalidStateTransition, refile.Code);
    }

    [Fact]
    public async Task An_officer_manages_only_their_own_department()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var e = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.RevokeAsync(RsjOfficer, "agr-mudan-spj-shatu", "越权", default));
        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        Assert.Equal(AgreementStatus.Effective, (await t.Agreements.GetAsync("agr-mudan-spj-shatu", default)).Status);

        var clerk = await Assert.ThrowsAsync<DomainException>(() => t.Seals.RevokeAsync(ShatuClerk, "seal-mudan-spj-shatu", "越权", default));
        Assert.Equal(ErrorCodes.Forbidden, clerk.Code);
    }

    [Fact]
    public async Task Invalid_agreements_fail_validation_with_field_names()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var bad = new AgreementDraft(null, "dept-mudan-spj", "twp-shanting-xiji", new string('协', 201),
            new DatePeriod(new DateOnly(2026, 3, 1), new DateOnly(2025, 1, 1)),
            [new AgreementMatter("mat-heze-mudan-001", DelegationMode.EntrustedAcceptance, [CaseStep.Decide])]);
        var e = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.CreateAsync(TestStore.Admin, bad, "x", default));
        Assert.Equal(ErrorCodes.ValidationFailed, e.Code);
        Assert.Contains("title", e.Errors.Keys);
        Assert.Contains("period", e.Errors.Keys);

        var fixedFields = bad with { Title = "跨县协议", Period = new DatePeriod(new DateOnly(2026, 3, 1), null) };
        var e2 = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.CreateAsync(TestStore.Admin, fixedFields, "x", default));
        Assert.Contains("townshipId", e2.Errors.Keys);
        Assert.Contains("matters[0].steps", e2.Errors.Keys);

        var otherDept = fixedFields with { TownshipId = "twp-mudan-anxing", Matters = [new AgreementMatter("mat-heze-mudan-009", DelegationMode.EntrustedHandling, [CaseStep.Decide])] };
        var e3 = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.CreateAsync(TestStore.Admin, otherDept, "x", default));
        Assert.Contains("matters[0].matterId", e3.Errors.Keys);

        var noReason = await Assert.ThrowsAsync<DomainException>(() => t.Agreements.RevokeAsync(TestStore.Admin, "agr-mudan-spj-shatu", " ", default));
        Assert.Contains("reason", noReason.Errors.Keys);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => t.Agreements.RevokeAsync(TestStore.Admin, "agr-nope", "x", default))).Code);
    }

    [Fact]
    public async Task Seal_rules_for_holder_and_acting_body_are_validated()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var period = new DatePeriod(new DateOnly(2026, 3, 1), null);
        var noHolder = await Assert.ThrowsAsync<DomainException>(() => t.Seals.CreateAsync(TestStore.Admin,
            new SealDraft(null, "牡丹区行政审批服务局审批专用章（胡集镇）", SealKind.DepartmentNo2, "dept-mudan-spj", null, period), "刻章", default));
        Assert.Contains("holdingTownshipId", noHolder.Errors.Keys);

        var ownHeldElsewhere = await Assert.ThrowsAsync<DomainException>(() => t.Seals.CreateAsync(TestStore.Admin,
            new SealDraft(null, "胡集镇人民政府审批专用章", SealKind.TownshipOwn, "twp-mudan-huji", "twp-mudan-dusi", period), "刻章", default));
        Assert.Contains("holdingTownshipId", ownHeldElsewhere.Errors.Keys);

        var dup = await Assert.ThrowsAsync<DomainException>(() => t.Seals.CreateAsync(TestStore.Admin,
            new SealDraft("seal-mudan-spj", "重复", SealKind.DepartmentOwn, "dept-mudan-spj", null, period), "刻章", default));
        Assert.Equal(ErrorCodes.Conflict, dup.Code);
    }

    [Fact]
    public async Task Township_list_reflects_the_date_asked_for()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var today = ChinaTime.DateOf(t.Clock.Now);
        var list = await t.Lists.GetAsync("twp-mudan-shatu", null, default);
        Assert.Equal(31, list.Entries.Count); // 区行政审批服务局's matters in the 牡丹区 catalogue
        Assert.All(list.Entries, e => Assert.Equal(DelegationMode.EntrustedHandling, e.Mode));

        var xiji = await t.Lists.GetAsync("twp-shanting-xiji", today, default);
        Assert.Equal(13, xiji.Entries.Count);

        t.Clock.Advance(TimeSpan.FromDays(2));
        await t.Agreements.RevokeAsync(TestStore.Admin, "agr-mudan-spj-shatu", "收回", default);
        Assert.Empty((await t.Lists.GetAsync("twp-mudan-shatu", null, default)).Entries);
        Assert.Equal(31, (await t.Lists.GetAsync("twp-mudan-shatu", today, default)).Entries.Count);

        // Before the period began there was nothing in force.
        Assert.Empty((await t.Lists.GetAsync("twp-mudan-wudian", today.AddYears(-2), default)).Entries);
    }

    [Fact]
    public async Task Lists_filter_and_page()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var page = await t.Store.Matters.ListAsync(new RegistryFilter(RegionId: "reg-mudan"), new PageRequest(10, 5), default);
        Assert.Equal(50, page.Total);
        Assert.Equal(["mat-heze-mudan-011", "mat-heze-mudan-012", "mat-heze-mudan-013", "mat-heze-mudan-014", "mat-heze-mudan-015"], page.Items.Select(m => m.Id));

        var byName = await t.Store.Matters.ListAsync(new RegistryFilter(Name: "再生育"), PageRequest.All, default);
        Assert.True(byName.Total >= 3);
        Assert.All(byName.Items, m => Assert.Contains("再生育", m.Name, StringComparison.Ordinal));

        var shatuMatters = await t.Store.Matters.ListAsync(new RegistryFilter(TownshipId: "twp-mudan-shatu"), PageRequest.All, default);
        Assert.Equal(31, shatuMatters.Total);

        var seals = await t.Store.Seals.ListAsync(new RegistryFilter(TownshipId: "twp-mudan-wudian"), PageRequest.All, default);
        Assert.Equal(["seal-mudan-spj-wudian"], seals.Items.Select(s => s.Id));
        var deptSeals = await t.Store.Seals.ListAsync(new RegistryFilter(DepartmentId: "dept-mudan-spj"), PageRequest.All, default);
        Assert.Equal(3, deptSeals.Total);

        var agreements = await t.Store.Agreements.ListAsync(new RegistryFilter(DepartmentId: "dept-mudan-spj", Status: "effective"), PageRequest.All, default);
        Assert.Equal(2, agreements.Total);
        Assert.All(agreements.Items, a => Assert.Equal(31, a.Matters.Count));

        var bad = await Assert.ThrowsAsync<DomainException>(() => t.Store.Matters.ListAsync(RegistryFilter.None, new PageRequest(0, 0), default));
        Assert.Contains("limit", bad.Errors.Keys);
    }

    [Fact]
    public async Task Base_data_crud_reports_conflicts_and_missing_ids()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var org = t.Organisation;
        var region = await org.SaveRegionAsync(TestStore.Admin, new Region("", "测试县", null), create: true, default);
        Assert.StartsWith("reg-", region.Id, StringComparison.Ordinal);
        await org.SaveRegionAsync(TestStore.Admin, region with { Name = "测试县（改）" }, create: false, default);
        Assert.Equal("测试县（改）", (await org.GetRegionAsync(region.Id, default)).Name);

        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<DomainException>(() =>
            org.SaveRegionAsync(TestStore.Admin, region, create: true, default))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() =>
            org.SaveRegionAsync(TestStore.Admin, new Region("reg-nope", "无", null), create: false, default))).Code);
        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<DomainException>(() =>
            org.DeleteDepartmentAsync(TestStore.Admin, "dept-mudan-spj", default))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() =>
            org.SaveRegionAsync(SpjOfficer, new Region("reg-x", "x", null), create: true, default))).Code);
        Assert.Contains("regionId", (await Assert.ThrowsAsync<DomainException>(() =>
            org.SaveTownshipAsync(TestStore.Admin, new Township("", "reg-nope", "某镇", TownshipKind.Town), create: true, default))).Errors.Keys);

        await org.DeleteRegionAsync(TestStore.Admin, region.Id, default);
        Assert.Null(await t.Store.Regions.GetAsync(region.Id, default));
    }
}

public abstract class MatterValidationTestsContract(IStoreEngine engine)
{
    [Fact]
    public async Task Undefined_enum_values_and_long_fields_are_refused_and_a_missing_power_text_is_filled()
    {
        await using var t = await TestStore.CreateAsync(engine);
        var matter = new Matter
        {
            Id = "",
            RegionId = "reg-mudan",
            DepartmentId = "dept-mudan-spj",
            Name = "测试事项",
            PowerType = (PowerType)99,
            PowerTypeText = null!,
            CatalogueSteps = [(CaseStep)42],
        };
        var e = await Assert.ThrowsAsync<DomainException>(() => t.Organisation.SaveMatterAsync(TestStore.Admin, matter, create: true, default));
        Assert.Contains("powerType", e.Errors.Keys);
        Assert.Contains("catalogueSteps", e.Errors.Keys);

        var tooLong = matter with { PowerType = PowerType.License, CatalogueSteps = [], Name = new string('名', 201) };
        Assert.Contains("name", (await Assert.ThrowsAsync<DomainException>(() =>
            t.Organisation.SaveMatterAsync(TestStore.Admin, tooLong, create: true, default))).Errors.Keys);

        var saved = await t.Organisation.SaveMatterAsync(TestStore.Admin, tooLong with { Name = "测试事项" }, create: true, default);
        Assert.Equal("行政许可", (await t.Store.Matters.GetAsync(saved.Id, default))!.PowerTypeText);

        var stamp = await Assert.ThrowsAsync<DomainException>(() => t.Stamps.CheckAsync(
            new Caller(CallerRole.TownshipClerk, "王", TownshipId: "twp-mudan-shatu"), new string('s', 65), saved.Id, CaseStep.Decide, "twp-mudan-shatu", null, default));
        Assert.Contains("sealId", stamp.Errors.Keys);
    }
}

public sealed class SqliteVersioningTests() : VersioningTestsContract(new SqliteEngine());

public sealed class PostgresVersioningTests(PostgresEngine engine) : VersioningTestsContract(engine), IClassFixture<PostgresEngine>;

public sealed class SqliteMatterValidationTests() : MatterValidationTestsContract(new SqliteEngine());

public sealed class PostgresMatterValidationTests(PostgresEngine engine) : MatterValidationTestsContract(engine), IClassFixture<PostgresEngine>;
