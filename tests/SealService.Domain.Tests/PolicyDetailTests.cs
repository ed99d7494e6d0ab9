using SealService.Domain.Model;
using SealService.Domain.Policy;
using static SealService.Domain.Tests.DemoData;

namespace SealService.Domain.Tests;

/// <summary>What the case table does not pin down: which agreement's refusal is reported, owner checks, messages.</summary>
public class PolicyDetailTests
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Xiji = "twp-shanting-xiji";
    private const string ShatuAgreement = "agr-mudan-spj-shatu";

    private static StampRequest ShatuDecides(DemoData d) => new(Clerk(Shatu), "seal-mudan-spj-shatu",
        d.Matter("heze-mudan.csv", 1).Id, CaseStep.Decide, Shatu, null, d.Now);

    [Fact]
    public void The_refusal_that_got_furthest_wins_even_from_a_later_agreement()
    {
        var d = new DemoData();
        var original = d.Agreement(ShatuAgreement);
        d.Replace(original.Revoke(Change(d.Now)));
        d.Agreements.Add(original.Suspend(Change(d.Now)) with { Id = ShatuAgreement + "-z" });

        var decision = DelegationPolicy.Evaluate(d.View(), ShatuDecides(d));
        Assert.Equal(RefusalCodes.AgreementSuspended, decision.Code);
        Assert.Contains(ShatuAgreement + "-z", decision.Message);
    }

    [Fact]
    public void Equal_refusals_name_the_agreement_with_the_lowest_id()
    {
        var d = new DemoData();
        var original = d.Agreement(ShatuAgreement);
        d.Replace(original.Revoke(Change(d.Now)));
        d.Agreements.Add(original.Revoke(Change(d.Now)) with { Id = ShatuAgreement + "-0" });

        var decision = DelegationPolicy.Evaluate(d.View(), ShatuDecides(d));
        Assert.Equal(RefusalCodes.AgreementRevoked, decision.Code);
        Assert.Contains($"委托协议 {ShatuAgreement} ", decision.Message);
        Assert.DoesNotContain(ShatuAgreement + "-0", decision.Message);
    }

    [Fact]
    public void A_no2_seal_acting_for_another_department_is_the_wrong_owner()
    {
        var d = new DemoData();
        d.Replace(d.Seal("seal-mudan-spj-shatu") with { ActingBodyId = "dept-shanting-spj" });

        var decision = DelegationPolicy.Evaluate(d.View(), ShatuDecides(d));
        Assert.Equal(RefusalCodes.SealWrongOwner, decision.Code);
        Assert.Contains("委托办理", decision.Message);
    }

    [Fact]
    public void A_township_seal_acting_for_another_township_is_the_wrong_owner()
    {
        var d = new DemoData();
        d.Replace(d.Seal("seal-shanting-xiji") with { ActingBodyId = "twp-mudan-shatu" });
        var request = new StampRequest(Clerk(Xiji), "seal-shanting-xiji", d.Matter("zaozhuang-shanting.csv", 6).Id, CaseStep.Review, Xiji, null, d.Now);

        var decision = DelegationPolicy.Evaluate(d.View(), request);
        Assert.Equal(RefusalCodes.SealWrongOwner, decision.Code);
        Assert.Contains("下放实质性审核权事项须以镇街自身名义用章", decision.Message);
    }

    [Theory]
    [InlineData(DelegationMode.DirectDevolution, "直接下放")]
    [InlineData(DelegationMode.ReviewDevolved, "下放实质性审核权")]
    public void Devolved_matters_need_the_townships_own_seal_and_the_message_names_the_mode(DelegationMode mode, string modeName)
    {
        var d = new DemoData();
        var (agreement, item) = d.Agreements
            .SelectMany(a => a.Matters.Select(m => (Agreement: a, Item: m)))
            .First(x => x.Item.Mode == mode && d.Seals.Any(s => s.Kind == SealKind.TownshipOwn && s.ActingBodyId == x.Agreement.TownshipId));
        var seal = d.Seals.First(s => s.Kind == SealKind.TownshipOwn && s.ActingBodyId == agreement.TownshipId);
        var request = new StampRequest(Clerk(agreement.TownshipId), seal.Id, item.MatterId, item.Steps[0], agreement.TownshipId, null, d.Now);
        Assert.True(DelegationPolicy.Evaluate(d.View(), request).Allowed);

        d.Replace(seal with { ActingBodyId = "twp-elsewhere" });
        var decision = DelegationPolicy.Evaluate(d.View(), request);
        Assert.Equal(RefusalCodes.SealWrongOwner, decision.Code);
        Assert.StartsWith(modeName + "事项须以镇街自身名义用章", decision.Message);
        Assert.Equal($"Refused({RefusalCodes.SealWrongOwner}: {decision.Message})", decision.ToString());
    }

    [Theory]
    [InlineData(DocumentKind.AcceptanceReceipt, "受理通知书")]
    [InlineData(DocumentKind.ReviewOpinion, "审核意见")]
    [InlineData(DocumentKind.Decision, "决定书")]
    [InlineData(DocumentKind.Certificate, "证照")]
    [InlineData(DocumentKind.Certification, "证明")]
    [InlineData(DocumentKind.Other, "其他文书")]
    public void Refusal_messages_name_the_document_kind_in_chinese(DocumentKind kind, string name)
    {
        Assert.Equal(name, DelegationPolicy.KindName(kind));
        var d = new DemoData();
        // An acceptance step fits only a receipt; an "other" document fits every step, so it is checked at issue.
        var step = kind == DocumentKind.AcceptanceReceipt ? CaseStep.Decide : CaseStep.Accept;
        var request = ShatuDecides(d) with { Step = step, DocumentKind = kind };
        var decision = DelegationPolicy.Evaluate(d.View(), request);
        if (kind == DocumentKind.Other)
        {
            Assert.True(decision.Allowed, decision.ToString());
        }
        else
        {
            Assert.Equal(RefusalCodes.DocumentKindNotAllowed, decision.Code);
            Assert.StartsWith(name + "不是", decision.Message);
        }
    }

    [Fact]
    public void Missing_inputs_are_programming_errors()
    {
        var d = new DemoData();
        Assert.Throws<ArgumentNullException>(() => DelegationPolicy.Evaluate(null!, ShatuDecides(d)));
        Assert.Throws<ArgumentNullException>(() => DelegationPolicy.Evaluate(d.View(), null!));
    }
}
