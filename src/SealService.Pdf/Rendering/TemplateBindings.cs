namespace SealService.Pdf.Rendering;

/// <summary>
/// Names a template field may <see cref="TemplateField.Bind"/> to. The service fills them from the registry (matter,
/// acting body, township, seal) and from the stamping itself (case number); the CLI fills them from a data file's
/// <c>bound</c> object for drafts.
/// </summary>
public static class TemplateBindings
{
    /// <summary>The stamped matter's catalogue name (事项名称).</summary>
    public const string MatterName = "matterName";

    /// <summary>The stamped matter's catalogue code (事项编码); empty when the catalogue has none.</summary>
    public const string MatterCode = "matterCode";

    /// <summary>The body in whose name the seal acts, as printed on the seal (e.g. 牡丹区行政审批服务局).</summary>
    public const string ActingBodyName = "actingBodyName";

    /// <summary>The township that holds the seal (e.g. 沙土镇); empty for a department's own seal.</summary>
    public const string TownshipName = "townshipName";

    /// <summary>The seal's registered legal text.</summary>
    public const string SealText = "sealText";

    /// <summary>The approval case the stamp belongs to (办件编号), from the stamping request.</summary>
    public const string CaseNumber = "caseNumber";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        MatterName, MatterCode, ActingBodyName, TownshipName, SealText, CaseNumber,
    };
}
