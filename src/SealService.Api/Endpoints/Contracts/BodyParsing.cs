using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Api.Endpoints.Contracts;

/// <summary>Turns request bodies into domain inputs, collecting field errors in the domain's validator.</summary>
public static class BodyParsing
{
    public static T? Enum<T>(Validator v, string field, string? text, bool required = true)
        where T : struct, System.Enum
    {
        if (text is null)
        {
            if (required)
                v.Add(field, "必填 (required)");
            return null;
        }
        if (Wire.TryParse<T>(text, out var value))
            return value;
        v.Add(field, $"must be one of: {string.Join(", ", System.Enum.GetValues<T>().Select(x => Wire.Name(x)))}");
        return null;
    }

    public static DatePeriod Period(Validator v, string field, PeriodBody? body)
    {
        if (body?.From is null)
            v.Add($"{field}.from", "必填 (required)");
        return new DatePeriod(body?.From ?? DateOnly.MinValue, body?.To);
    }

    public static AgreementDraft Agreement(AgreementBody body, string? id)
    {
        var v = new Validator();
        var period = Period(v, "period", body.Period);
        var matters = new List<AgreementMatter>();
        if (body.Matters is null)
            v.Add("matters", "必填 (required)");
        else if (body.Matters.Count > Limits.MattersPerAgreement)
            v.Add("matters", $"at most {Limits.MattersPerAgreement} matters");
        else
            for (var i = 0; i < body.Matters.Count; i++)
                matters.Add(Matter(v, $"matters[{i}]", body.Matters[i]));
        v.ThrowIfAny();
        return new AgreementDraft(id ?? body.Id, body.DepartmentId ?? "", body.TownshipId ?? "", body.Name ?? "", period, matters);
    }

    private static AgreementMatter Matter(Validator v, string field, AgreementMatterBody? body)
    {
        var mode = Enum<DelegationMode>(v, $"{field}.mode", body?.Mode);
        var steps = new List<CaseStep>();
        if (body?.Steps is null)
            v.Add($"{field}.steps", "必填 (required)");
        else if (body.Steps.Count > 6)
            v.Add($"{field}.steps", "at most 6 steps");
        else
            foreach (var text in body.Steps)
                if (Wire.TryParseStep(text, out var step))
                    steps.Add(step);
                else
                    v.Add($"{field}.steps", "steps are accept, initial-check, review, re-check, decide, issue");
        return new AgreementMatter(body?.MatterId ?? "", mode ?? default, steps);
    }

    public static SealDraft Seal(SealBody body, string? id)
    {
        var v = new Validator();
        var kind = Enum<SealKind>(v, "kind", body.Kind);
        var validity = Period(v, "validity", body.Validity);
        var level = Level(v, "signatureLevel", body.SignatureLevel);
        v.ThrowIfAny();
        return new SealDraft(id ?? body.Id, body.Name ?? "", kind!.Value, body.ActingBodyId ?? "", body.HoldingTownshipId,
            validity, body.KeyRef, body.ArcText, body.PurposeText, level);
    }

    /// <summary>An optional PAdES level (B-B, B-T, B-LT, B-LTA); null or empty = not given.</summary>
    public static SignatureLevel? Level(Validator v, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (SignatureLevels.TryParse(text, out var level))
            return level;
        v.Add(field, $"must be {SignatureLevels.Expected}");
        return null;
    }

    public static Township Township(TownshipBody body, string? id)
    {
        var v = new Validator();
        var kind = Enum<TownshipKind>(v, "kind", body.Kind ?? "town");
        v.ThrowIfAny();
        return new Township(id ?? body.Id ?? "", body.RegionId ?? "", body.Name ?? "", kind!.Value);
    }

    public static Matter Matter(MatterBody body, string? id)
    {
        var v = new Validator();
        var power = Enum<PowerType>(v, "powerType", body.PowerType);
        var secondary = Enum<PowerType>(v, "secondaryPowerType", body.SecondaryPowerType, required: false);
        var level = Enum<MatterLevel>(v, "level", body.Level ?? "township");
        v.ThrowIfAny();
        return new Matter
        {
            Id = id ?? body.Id ?? "",
            RegionId = body.RegionId ?? "",
            DepartmentId = body.DepartmentId ?? "",
            SupervisingDepartmentId = body.SupervisingDepartmentId,
            Name = body.Name ?? "",
            Code = body.Code,
            PowerType = power!.Value,
            SecondaryPowerType = secondary,
            PowerTypeText = body.PowerTypeText ?? Wire.Name(power.Value),
            Level = level!.Value,
            Handling = body.Handling,
            Remark = body.Remark,
        };
    }
}
