namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// What DOMAIN.md says a township may stamp, written out independently of the policy: steps per mode, kinds per mode,
/// steps per kind. Wire names throughout.
/// </summary>
public static class DelegationOracle
{
    public static readonly string[] Steps = ["accept", "initial-check", "review", "re-check", "decide", "issue"];

    public static readonly string[] Kinds = ["acceptance-receipt", "review-opinion", "decision", "certificate", "certification", "other"];

    /// <summary>Template → the kind it declares.</summary>
    public static readonly Dictionary<string, string> TemplateKinds = new()
    {
        ["acceptance-receipt"] = "acceptance-receipt",
        ["review-opinion"] = "review-opinion",
        ["licence-decision"] = "decision",
        ["certificate"] = "certification",
    };

    private static readonly Dictionary<string, string[]> ModeSteps = new()
    {
        ["entrusted-handling"] = Steps,
        ["entrusted-acceptance"] = ["accept", "initial-check"],
        ["direct-devolution"] = Steps,
        ["review-devolved"] = ["accept", "initial-check", "review", "re-check"],
    };

    private static readonly Dictionary<string, string[]?> ModeKinds = new()
    {
        ["entrusted-handling"] = null,
        ["entrusted-acceptance"] = ["acceptance-receipt"],
        ["direct-devolution"] = null,
        ["review-devolved"] = ["acceptance-receipt", "review-opinion"],
    };

    private static readonly Dictionary<string, string[]> KindSteps = new()
    {
        ["acceptance-receipt"] = ["accept"],
        ["review-opinion"] = ["initial-check", "review", "re-check"],
        ["decision"] = ["decide"],
        ["certificate"] = ["decide", "issue"],
        ["certification"] = ["decide", "issue"],
        ["other"] = Steps,
    };

    /// <summary>Null when allowed, else the refusal code the policy must give.</summary>
    public static string? Expected(string mode, IReadOnlyCollection<string> agreementSteps, string kind, string step)
    {
        if (!ModeSteps[mode].Contains(step) || !agreementSteps.Contains(step))
            return "STEP_NOT_ALLOWED";
        var kindOk = ModeKinds[mode] is not { } kinds || kinds.Contains(kind);
        return kindOk && KindSteps[kind].Contains(step) ? null : "DOCUMENT_KIND_NOT_ALLOWED";
    }
}
