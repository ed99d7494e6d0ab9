using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Domain.Tests;

public class ModelTests
{
    private static DelegationAgreement Agreement(AgreementStatus status, DateOnly from, DateOnly? to) => new()
    {
        Id = "agr-test",
        Version = 1,
        DepartmentId = "dept-mudan-spj",
        TownshipId = "twp-mudan-shatu",
        Title = "测试协议",
        Period = new DatePeriod(from, to),
        Status = status,
        Matters = [],
        Change = DemoData.Change(DemoData.SeededAt),
    };

    [Fact]
    public void Periods_are_inclusive_calendar_dates_in_china_standard_time()
    {
        var a = Agreement(AgreementStatus.Effective, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 10));
        // 2026-03-10 23:59:59 CST is still inside; 2026-03-11 00:00 CST (16:00 UTC on the 10th) is not.
        Assert.Equal(AgreementState.Effective, a.StateAt(new DateTimeOffset(2026, 3, 10, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(AgreementState.Expired, a.StateAt(new DateTimeOffset(2026, 3, 10, 16, 0, 0, TimeSpan.Zero)));
        // 2026-02-28 16:00 UTC is already 2026-03-01 in CST.
        Assert.Equal(AgreementState.NotYetEffective, a.StateAt(new DateTimeOffset(2026, 2, 28, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(AgreementState.Effective, a.StateAt(new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Stored_status_wins_over_the_period()
    {
        var from = new DateOnly(2026, 1, 1);
        Assert.Equal(AgreementState.Draft, Agreement(AgreementStatus.Draft, from, null).StateAt(DemoData.SeededAt));
        Assert.Equal(AgreementState.Revoked, Agreement(AgreementStatus.Revoked, from, new DateOnly(2026, 1, 2)).StateAt(DemoData.SeededAt));
    }

    [Fact]
    public void Transitions_follow_the_lifecycle_and_bump_the_version()
    {
        var change = DemoData.Change(DemoData.SeededAt, "备案");
        var draft = Agreement(AgreementStatus.Draft, new DateOnly(2026, 1, 1), null);
        var filed = draft.File("菏区司法备〔2026〕1号", new DateOnly(2026, 1, 2), change);
        Assert.Equal((AgreementStatus.Effective, 2, "备案"), (filed.Status, filed.Version, filed.Change.Reason));
        Assert.Equal(ErrorCodes.InvalidStateTransition, Assert.Throws<DomainException>(() => draft.Suspend(change)).Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, Assert.Throws<DomainException>(() => filed.Resume(change)).Code);
        var revoked = filed.Suspend(change).Revoke(change);
        Assert.Equal(4, revoked.Version);
        Assert.Equal(ErrorCodes.InvalidStateTransition, Assert.Throws<DomainException>(() => revoked.Revoke(change)).Code);
        Assert.Equal(ErrorCodes.InvalidStateTransition, Assert.Throws<DomainException>(() => revoked.Amend(revoked, change)).Code);
    }

    [Fact]
    public void Wire_names_are_the_agreed_ones()
    {
        Assert.Equal(["accept", "initial-check", "review", "re-check", "decide", "issue"], Enum.GetValues<CaseStep>().Select(s => s.Name()));
        Assert.Equal(["entrusted-handling", "entrusted-acceptance", "direct-devolution", "review-devolved"], Enum.GetValues<DelegationMode>().Select(Wire.Name));
        Assert.Equal(["registry-admin", "department-officer", "township-clerk", "auditor"], Enum.GetValues<CallerRole>().Select(Wire.Name));
        Assert.Equal("department-no2", Wire.Name(SealKind.DepartmentNo2));
        Assert.True(Wire.TryParseStep("re-check", out var step) && step == CaseStep.ReCheck);
        Assert.False(Wire.TryParseStep("Decide", out _));
        Assert.True(Wire.TryParse<AgreementState>("not-yet-effective", out var state) && state == AgreementState.NotYetEffective);
    }

    [Fact]
    public void Wire_names_equal_the_json_kebab_case_policy()
    {
        static void Same<T>()
            where T : struct, Enum
        {
            foreach (var v in Enum.GetValues<T>())
            {
                Assert.Equal(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), Wire.Name(v));
            }
        }

        Same<CaseStep>();
        Same<DelegationMode>();
        Same<AgreementStatus>();
        Same<AgreementState>();
        Same<SealKind>();
        Same<SealStatus>();
        Same<CallerRole>();
        Same<DocumentKind>();
        Same<PowerType>();
        Same<TownshipKind>();
        Same<MatterLevel>();
    }

    [Theory]
    [InlineData("seal-mudan-spj-shatu", true)]
    [InlineData("Seal-1", false)]
    [InlineData("-seal", false)]
    [InlineData("seal_1", false)]
    [InlineData("", false)]
    public void Ids_are_short_lowercase_and_url_safe(string id, bool valid)
    {
        Assert.Equal(valid, Ids.IsValid(id));
        Assert.False(Ids.IsValid(new string('a', 65)));
        Assert.True(Ids.IsValid(Ids.New("agr")));
    }
}
