using SealService.Domain.Model;
using SealService.Domain.Policy;
using static SealService.Domain.Tests.DemoData;

namespace SealService.Domain.Tests;

/// <summary>The delegation policy over the demo registry built from the real catalogues.</summary>
public class PolicyTests
{
    private const string Mudan = "heze-mudan.csv";
    private const string Shanting = "zaozhuang-shanting.csv";
    private const string ZezhouTown = "jincheng-zezhou-town.csv";

    private const string Shatu = "twp-mudan-shatu";
    private const string Wudian = "twp-mudan-wudian";
    private const string Xiji = "twp-shanting-xiji";
    private const string Zezhou = "twp-zezhou-xx";

    /// <summary>A case: arrange the registry, then the request; expected code (null = allowed).</summary>
    private sealed record Case(string Name, Action<DemoData> Arrange, Func<DemoData, StampRequest> Request, string? Expected, string? AgreementId = null)
    {
        public override string ToString() => Name;
    }

    private static StampRequest Req(DemoData d, Caller caller, string seal, string matter, CaseStep step, string? subject, DocumentKind? doc = null) =>
        new(caller, seal, matter, step, subject, doc, d.Now);

    private static readonly Action<DemoData> Nothing = _ => { };

    private static string MudanSpj(DemoData d) => d.Matter(Mudan, 1).Id;

    private static StampRequest ShatuDecides(DemoData d) => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Decide, Shatu);

    private static readonly Case[] Cases =
    [
        // Allowed: each of the four modes, and a department's own seal.
        new("entrusted handling: 沙土镇 decides with the department's No.2 seal", Nothing, ShatuDecides, null, "agr-mudan-spj-shatu"),
        new("entrusted handling: 沙土镇 issues", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Issue, Shatu, DocumentKind.Certificate), null, "agr-mudan-spj-shatu"),
        new("entrusted acceptance: 吴店镇 accepts with its No.2 seal, receipt", Nothing,
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-wudian", MudanSpj(d), CaseStep.Accept, Wudian, DocumentKind.AcceptanceReceipt), null, "agr-mudan-spj-wudian"),
        new("entrusted acceptance (服务窗口前移): 西集镇 accepts with its own seal", Nothing,
            d => Req(d, Clerk(Xiji), "seal-shanting-xiji", d.Matter(Shanting, 9).Id, CaseStep.Accept, Xiji), null, "agr-shanting-spj-xiji"),
        new("direct devolution: 西集镇 decides with its own seal", Nothing,
            d => Req(d, Clerk(Xiji), "seal-shanting-xiji", d.Matter(Shanting, 1).Id, CaseStep.Decide, Xiji, DocumentKind.Decision), null, "agr-shanting-spj-xiji"),
        new("direct devolution: a 泽州县 town decides with its own seal", Nothing,
            d => Req(d, Clerk(Zezhou), "seal-zezhou-xx", d.Matter(ZezhouTown, 7).Id, CaseStep.Decide, Zezhou), null, "agr-zezhou-spj-xx"),
        new("review devolved: 西集镇 stamps its review opinion", Nothing,
            d => Req(d, Clerk(Xiji), "seal-shanting-xiji", d.Matter(Shanting, 6).Id, CaseStep.Review, Xiji, DocumentKind.ReviewOpinion), null, "agr-shanting-spj-xiji"),
        new("review devolved: the department issues on sight of the seal (见章发证) with its own seal", Nothing,
            d => Req(d, Officer("dept-shanting-spj"), "seal-shanting-spj", d.Matter(Shanting, 6).Id, CaseStep.Issue, Xiji), null),
        new("泽州县 乡级负责受理、审核: the town reviews", Nothing,
            d => Req(d, Clerk(Zezhou), "seal-zezhou-xx", d.Matter(ZezhouTown, 2).Id, CaseStep.Review, Zezhou), null, "agr-zezhou-spj-xx"),

        // SEAL_*
        new("unknown seal", Nothing,
            d => Req(d, Clerk(Shatu), "seal-nope", MudanSpj(d), CaseStep.Decide, Shatu), RefusalCodes.SealNotFound),
        new("吴店镇 clerk uses 沙土镇's seal", Nothing,
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Accept, Wudian), RefusalCodes.SealNotHeldByCaller),
        new("a department officer uses a No.2 seal held by a township", Nothing,
            d => Req(d, Officer("dept-mudan-spj"), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Decide, Shatu), RefusalCodes.SealNotHeldByCaller),
        new("another department's officer uses the department's own seal", Nothing,
            d => Req(d, Officer("dept-mudan-rsj"), "seal-mudan-spj", MudanSpj(d), CaseStep.Decide, null), RefusalCodes.SealNotHeldByCaller),
        new("an auditor never stamps", Nothing,
            d => Req(d, new Caller(CallerRole.Auditor, "审计员"), "seal-mudan-spj", MudanSpj(d), CaseStep.Decide, null), RefusalCodes.SealNotHeldByCaller),
        new("suspended seal", d => d.Replace(d.Seal("seal-mudan-spj-shatu").Suspend(Change(d.Now))), ShatuDecides, RefusalCodes.SealSuspended),
        new("revoked seal", d => d.Replace(d.Seal("seal-mudan-spj-shatu").Revoke(Change(d.Now))), ShatuDecides, RefusalCodes.SealRevoked),
        new("retired seal (封存)", d => d.Replace(d.Seal("seal-mudan-spj-shatu").Retire(Change(d.Now))), ShatuDecides, RefusalCodes.SealRetired),
        new("seal validity ended", d => d.Replace(d.Seal("seal-mudan-spj-shatu") with { Validity = new DatePeriod(new DateOnly(2020, 1, 1), new DateOnly(2026, 3, 10)) }),
            ShatuDecides, RefusalCodes.SealExpired),
        new("seal not yet valid", d => d.Replace(d.Seal("seal-mudan-spj-shatu") with { Validity = new DatePeriod(new DateOnly(2027, 1, 1), null) }),
            ShatuDecides, RefusalCodes.SealExpired),
        new("a No.2 seal on a directly devolved matter", d => d.Seals.Add(ShantingNo2(d)),
            d => Req(d, Clerk(Xiji), "seal-shanting-spj-xiji", d.Matter(Shanting, 1).Id, CaseStep.Decide, Xiji), RefusalCodes.SealWrongOwner),
        new("a No.2 seal on a review-devolved matter", d => d.Seals.Add(ShantingNo2(d)),
            d => Req(d, Clerk(Xiji), "seal-shanting-spj-xiji", d.Matter(Shanting, 6).Id, CaseStep.Review, Xiji), RefusalCodes.SealWrongOwner),
        new("a township's own seal on an entrusted-handling matter", d => d.Seals.Add(ShatuOwn(d)),
            d => Req(d, Clerk(Shatu), "seal-mudan-shatu", MudanSpj(d), CaseStep.Decide, Shatu), RefusalCodes.SealWrongOwner),
        new("a department's own seal on another department's matter", Nothing,
            d => Req(d, Officer("dept-mudan-spj"), "seal-mudan-spj", d.Matter(Mudan, m => m.DepartmentId == "dept-mudan-rsj").Id, CaseStep.Decide, null),
            RefusalCodes.SealWrongOwner),

        // MATTER_*
        new("unknown matter", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", "mat-nope", CaseStep.Decide, Shatu), RefusalCodes.MatterNotFound),
        new("a matter no agreement of 沙土镇 lists (区人社局)", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", d.Matter(Mudan, m => m.DepartmentId == "dept-mudan-rsj").Id, CaseStep.Accept, Shatu),
            RefusalCodes.MatterNotDelegated),
        new("a matter of another county", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", "mat-hanzhong-mianxian-001", CaseStep.Accept, Shatu), RefusalCodes.MatterNotDelegated),

        // AGREEMENT_*
        new("draft agreement", d => d.Replace(d.Agreement("agr-mudan-spj-shatu") with { Status = AgreementStatus.Draft, FilingNumber = null }),
            ShatuDecides, RefusalCodes.AgreementNotFiled),
        new("agreement period not started", d => d.Replace(d.Agreement("agr-mudan-spj-shatu") with { Period = new DatePeriod(new DateOnly(2026, 6, 1), null) }),
            ShatuDecides, RefusalCodes.AgreementNotYetEffective),
        new("agreement period over", d => d.Replace(d.Agreement("agr-mudan-spj-shatu") with { Period = new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2026, 3, 10)) }),
            ShatuDecides, RefusalCodes.AgreementExpired),
        new("suspended agreement", d => d.Replace(d.Agreement("agr-mudan-spj-shatu").Suspend(Change(d.Now))), ShatuDecides, RefusalCodes.AgreementSuspended),
        new("revoked agreement", d => d.Replace(d.Agreement("agr-mudan-spj-shatu").Revoke(Change(d.Now))), ShatuDecides, RefusalCodes.AgreementRevoked),

        // STEP_NOT_ALLOWED
        new("entrusted acceptance: 吴店镇 may not decide", Nothing,
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-wudian", MudanSpj(d), CaseStep.Decide, Wudian), RefusalCodes.StepNotAllowed),
        new("entrusted acceptance: 吴店镇 may not stamp a decision document", Nothing,
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-wudian", MudanSpj(d), CaseStep.Accept, Wudian, DocumentKind.Decision), RefusalCodes.DocumentKindNotAllowed),
        new("entrusted handling: a decision document stamped at the acceptance step", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Accept, Shatu, DocumentKind.Decision), RefusalCodes.DocumentKindNotAllowed),
        new("department's own seal: a receipt is not a decision", Nothing,
            d => Req(d, Officer("dept-shanting-spj"), "seal-shanting-spj", d.Matter(Shanting, 6).Id, CaseStep.Decide, Xiji, DocumentKind.AcceptanceReceipt), RefusalCodes.DocumentKindNotAllowed),
        new("review devolved: the township may not issue the certificate", Nothing,
            d => Req(d, Clerk(Xiji), "seal-shanting-xiji", d.Matter(Shanting, 6).Id, CaseStep.Issue, Xiji), RefusalCodes.StepNotAllowed),
        new("泽州县 乡级负责受理: the town may not review", Nothing,
            d => Req(d, Clerk(Zezhou), "seal-zezhou-xx", d.Matter(ZezhouTown, 1).Id, CaseStep.Review, Zezhou), RefusalCodes.StepNotAllowed),
        new("a village station never decides", Nothing,
            d => Req(d, Clerk(Zezhou) with { VillageStationId = "vil-zezhou-xx-demo" }, "seal-zezhou-xx", d.Matter(ZezhouTown, 7).Id, CaseStep.Decide, Zezhou),
            RefusalCodes.StepNotAllowed),

        // CROSS_TOWNSHIP
        new("沙土镇's seal on a case of 吴店镇", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Decide, Wudian), RefusalCodes.CrossTownship),
        new("township seal with no subject township", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", MudanSpj(d), CaseStep.Decide, null), RefusalCodes.CrossTownship),

        // Order: the first failing rule wins.
        new("order: not held beats revoked", d => d.Replace(d.Seal("seal-mudan-spj-shatu").Revoke(Change(d.Now))),
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-shatu", "mat-nope", CaseStep.Decide, Wudian), RefusalCodes.SealNotHeldByCaller),
        new("order: revoked seal beats unknown matter", d => d.Replace(d.Seal("seal-mudan-spj-shatu").Revoke(Change(d.Now))),
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", "mat-nope", CaseStep.Decide, Shatu), RefusalCodes.SealRevoked),
        new("order: cross-township beats not delegated", Nothing,
            d => Req(d, Clerk(Shatu), "seal-mudan-spj-shatu", "mat-hanzhong-mianxian-001", CaseStep.Decide, Wudian), RefusalCodes.CrossTownship),
        new("order: suspended agreement beats a wrong step", d => d.Replace(d.Agreement("agr-mudan-spj-wudian").Suspend(Change(d.Now))),
            d => Req(d, Clerk(Wudian), "seal-mudan-spj-wudian", MudanSpj(d), CaseStep.Decide, Wudian), RefusalCodes.AgreementSuspended),
        new("order: wrong owner beats a wrong step", d => d.Seals.Add(ShantingNo2(d)),
            d => Req(d, Clerk(Xiji), "seal-shanting-spj-xiji", d.Matter(Shanting, 6).Id, CaseStep.Decide, Xiji), RefusalCodes.SealWrongOwner),

        // Several agreements list the matter.
        new("a revoked and an effective agreement: the effective one allows",
            d => d.Agreements.Add(d.Agreement("agr-mudan-spj-shatu").Revoke(Change(d.Now)) with { Id = "agr-mudan-spj-shatu-old" }),
            ShatuDecides, null, "agr-mudan-spj-shatu"),
        new("a revoked and a suspended agreement: the refusal that got furthest (suspended)",
            d =>
            {
                d.Agreements.Add(d.Agreement("agr-mudan-spj-shatu").Revoke(Change(d.Now)) with { Id = "agr-mudan-spj-shatu-0" });
                d.Replace(d.Agreement("agr-mudan-spj-shatu").Suspend(Change(d.Now)));
            },
            ShatuDecides, RefusalCodes.AgreementSuspended),
    ];

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decides(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var d = new DemoData();
        c.Arrange(d);
        var request = c.Request(d);

        var decision = DelegationPolicy.Evaluate(d.View(), request);

        Assert.Equal(c.Expected, decision.Code);
        Assert.Equal(c.Expected is null, decision.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
        if (decision.Allowed)
        {
            Assert.Equal(request.SealId, decision.Basis!.SealId);
            Assert.Equal(d.Seal(request.SealId).Version, decision.Basis.SealVersion);
            Assert.Equal(c.AgreementId, decision.Basis.AgreementId);
            if (c.AgreementId is not null)
            {
                Assert.Equal(d.Agreement(c.AgreementId).Version, decision.Basis.AgreementVersion);
            }
        }
        else
        {
            Assert.Null(decision.Basis);
        }
    }

    [Fact]
    public void Every_refusal_code_is_produced_by_the_policy_in_some_case()
    {
        // The codes the policy actually returns, not the ones the table names: a rule that stops firing shows here.
        var produced = new HashSet<string>();
        foreach (var c in Cases)
        {
            var d = new DemoData();
            c.Arrange(d);
            if (DelegationPolicy.Evaluate(d.View(), c.Request(d)).Code is { } code)
            {
                produced.Add(code);
            }
        }

        Assert.Equal(RefusalCodes.All.Order(), produced.Order());
    }

    [Fact]
    public void Every_mode_has_an_allowed_case()
    {
        var modes = new HashSet<DelegationMode>();
        foreach (var c in Cases.Where(c => c.Expected is null))
        {
            var d = new DemoData();
            c.Arrange(d);
            var decision = DelegationPolicy.Evaluate(d.View(), c.Request(d));
            Assert.True(decision.Allowed, c.Name);
            if (decision.Basis!.Mode is { } mode)
            {
                modes.Add(mode);
            }
        }

        Assert.Equal(Enum.GetValues<DelegationMode>().ToHashSet(), modes);
    }

    [Fact]
    public void Revoking_changes_the_next_decision_at_once_and_the_past_is_kept()
    {
        var d = new DemoData();
        var before = DelegationPolicy.Evaluate(d.View(), ShatuDecides(d));
        Assert.True(before.Allowed);

        var original = d.Agreement("agr-mudan-spj-shatu");
        var revoked = original.Revoke(Change(d.Now, "收回权限"));
        d.Replace(revoked);
        var after = DelegationPolicy.Evaluate(d.View(), ShatuDecides(d));
        Assert.Equal(RefusalCodes.AgreementRevoked, after.Code);
        Assert.Equal(original.Version + 1, revoked.Version);
        Assert.Equal("收回权限", revoked.Change.Reason);

        d.Replace(d.Seal("seal-mudan-spj-shatu").Revoke(Change(d.Now)));
        Assert.Equal(RefusalCodes.SealRevoked, DelegationPolicy.Evaluate(d.View(), ShatuDecides(d)).Code);
    }

    /// <summary>Periods are whole days in China time (UTC+8), both ends included.</summary>
    public static TheoryData<string, string, string?> PeriodEdges() => new()
    {
        { "agreement", "2026-03-31T23:59:59.999+08:00", null },
        { "agreement", "2026-03-31T16:00:00Z", RefusalCodes.AgreementExpired },
        { "agreement", "2026-04-01T00:00:00+08:00", RefusalCodes.AgreementExpired },
        { "agreement", "2026-03-05T00:00:00+08:00", null },
        { "agreement", "2026-03-04T23:59:59.999+08:00", RefusalCodes.AgreementNotYetEffective },
        { "agreement", "2026-03-04T15:59:59Z", RefusalCodes.AgreementNotYetEffective },
        { "seal", "2026-03-31T23:59:59.999+08:00", null },
        { "seal", "2026-04-01T00:00:00+08:00", RefusalCodes.SealExpired },
        { "seal", "2026-03-05T00:00:00+08:00", null },
        { "seal", "2026-03-04T23:59:59.999+08:00", RefusalCodes.SealExpired },
    };

    [Theory]
    [MemberData(nameof(PeriodEdges))]
    public void The_first_and_last_day_of_a_period_count_and_the_days_around_them_do_not(string what, string at, string? expected)
    {
        var d = new DemoData();
        var period = new DatePeriod(new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 31));
        if (what == "agreement")
        {
            d.Replace(d.Agreement("agr-mudan-spj-shatu") with { Period = period });
        }
        else
        {
            d.Replace(d.Seal("seal-mudan-spj-shatu") with { Validity = period });
        }

        var request = ShatuDecides(d) with { At = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) };
        var decision = DelegationPolicy.Evaluate(d.View(), request);
        Assert.Equal(expected, decision.Code);
        Assert.Equal(expected is null, decision.Allowed);
    }

    private static Seal ShantingNo2(DemoData d) => d.Seal("seal-shanting-xiji") with
    {
        Id = "seal-shanting-spj-xiji",
        Text = "山亭区行政审批服务局审批专用章（西集镇）",
        Kind = SealKind.DepartmentNo2,
        ActingBodyId = "dept-shanting-spj",
    };

    private static Seal ShatuOwn(DemoData d) => d.Seal("seal-mudan-spj-shatu") with
    {
        Id = "seal-mudan-shatu",
        Text = "菏泽市牡丹区沙土镇人民政府审批专用章",
        Kind = SealKind.TownshipOwn,
        ActingBodyId = Shatu,
    };
}
