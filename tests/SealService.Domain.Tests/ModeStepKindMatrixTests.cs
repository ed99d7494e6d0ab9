using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Tests;

/// <summary>
/// Every mode × document kind × step against an agreement that lists all six steps, so only the mode and the kind can
/// refuse. The expected answers are written out here from DOMAIN.md, not taken from the policy.
/// </summary>
public class ModeStepKindMatrixTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, ChinaTime.Offset);

    /// <summary>Steps a township may do under each mode (DOMAIN.md, "Delegation modes").</summary>
    private static readonly Dictionary<DelegationMode, string> ModeSteps = new()
    {
        [DelegationMode.EntrustedHandling] = "accept initial-check review re-check decide issue",
        [DelegationMode.EntrustedAcceptance] = "accept initial-check",
        [DelegationMode.DirectDevolution] = "accept initial-check review re-check decide issue",
        [DelegationMode.ReviewDevolved] = "accept initial-check review re-check",
    };

    /// <summary>Kinds the township may issue under each mode ("*" = any).</summary>
    private static readonly Dictionary<DelegationMode, string> ModeKinds = new()
    {
        [DelegationMode.EntrustedHandling] = "*",
        [DelegationMode.EntrustedAcceptance] = "acceptance-receipt",
        [DelegationMode.DirectDevolution] = "*",
        [DelegationMode.ReviewDevolved] = "acceptance-receipt review-opinion",
    };

    /// <summary>The steps each kind records.</summary>
    private static readonly Dictionary<DocumentKind, string> KindSteps = new()
    {
        [DocumentKind.AcceptanceReceipt] = "accept",
        [DocumentKind.ReviewOpinion] = "initial-check review re-check",
        [DocumentKind.Decision] = "decide",
        [DocumentKind.Certificate] = "decide issue",
        [DocumentKind.Certification] = "decide issue",
        [DocumentKind.Other] = "accept initial-check review re-check decide issue",
    };

    public static TheoryData<DelegationMode, DocumentKind?, CaseStep> All()
    {
        var data = new TheoryData<DelegationMode, DocumentKind?, CaseStep>();
        foreach (var mode in Enum.GetValues<DelegationMode>())
        {
            foreach (var step in Enum.GetValues<CaseStep>())
            {
                data.Add(mode, null, step);
                foreach (var kind in Enum.GetValues<DocumentKind>())
                {
                    data.Add(mode, kind, step);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Mode_step_and_kind_decide_together(DelegationMode mode, DocumentKind? kind, CaseStep step)
    {
        var decision = DelegationPolicy.Evaluate(View(mode), new StampRequest(
            new Caller(CallerRole.TownshipClerk, "王窗口", TownshipId: "twp-t"), "seal-t", "mat-t", step, "twp-t", kind, Now));

        Assert.Equal(Expected(mode, kind, step), decision.Code);
        if (decision.Allowed)
        {
            Assert.Equal(mode, decision.Basis!.Mode);
            Assert.Equal("agr-t", decision.Basis.AgreementId);
        }
    }

    [Fact]
    public void The_matrix_has_both_answers_for_every_mode()
    {
        foreach (var mode in Enum.GetValues<DelegationMode>())
        {
            var codes = Enum.GetValues<CaseStep>().SelectMany(s => Enum.GetValues<DocumentKind>().Select(k => Expected(mode, k, s))).ToHashSet();
            Assert.Contains(null, codes);
            Assert.Contains(RefusalCodes.DocumentKindNotAllowed, codes);
        }
    }

    private static string? Expected(DelegationMode mode, DocumentKind? kind, CaseStep step)
    {
        if (!ModeSteps[mode].Split(' ').Contains(step.Name()))
        {
            return RefusalCodes.StepNotAllowed;
        }

        if (kind is not { } k)
        {
            return null;
        }

        var kindOk = ModeKinds[mode] == "*" || ModeKinds[mode].Split(' ').Contains(Wire.Name(k));
        return kindOk && KindSteps[k].Split(' ').Contains(step.Name()) ? null : RefusalCodes.DocumentKindNotAllowed;
    }

    /// <summary>One matter, one agreement listing all six steps in <paramref name="mode"/>, and the seal that fits it.</summary>
    private static RegistrySnapshot View(DelegationMode mode)
    {
        var change = new ChangeInfo("测试", Now.AddYears(-1), "测试");
        var no2 = mode is DelegationMode.EntrustedHandling or DelegationMode.EntrustedAcceptance;
        var seal = new Seal
        {
            Id = "seal-t",
            Version = 1,
            Text = no2 ? "测试局审批专用章（测试镇）" : "测试镇人民政府审批专用章",
            Kind = no2 ? SealKind.DepartmentNo2 : SealKind.TownshipOwn,
            ActingBodyId = no2 ? "dept-t" : "twp-t",
            HoldingTownshipId = "twp-t",
            Validity = new DatePeriod(new DateOnly(2020, 1, 1), null),
            KeyRef = "seals/seal-t",
            Status = SealStatus.Active,
            Change = change,
        };
        var matter = new Matter
        {
            Id = "mat-t",
            RegionId = "reg-t",
            DepartmentId = "dept-t",
            Name = "测试事项",
            PowerType = PowerType.License,
            PowerTypeText = "行政许可",
        };
        var agreement = new DelegationAgreement
        {
            Id = "agr-t",
            Version = 1,
            DepartmentId = "dept-t",
            TownshipId = "twp-t",
            Title = "测试协议",
            Period = new DatePeriod(new DateOnly(2020, 1, 1), new DateOnly(2099, 12, 31)),
            FilingNumber = "司备1号",
            FilingDate = new DateOnly(2020, 1, 1),
            Status = AgreementStatus.Effective,
            Matters = [new AgreementMatter("mat-t", mode, Enum.GetValues<CaseStep>())],
            Change = change,
        };
        return new RegistrySnapshot([seal], [matter], [agreement]);
    }
}
