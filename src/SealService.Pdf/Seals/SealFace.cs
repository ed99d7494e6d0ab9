namespace SealService.Pdf.Seals;

/// <summary>
/// What is written on a round seal: the issuing body along the upper arc, the purpose under
/// the star, and (for a department's No. 2 seal held by a township) the township in brackets.
/// </summary>
public sealed record SealFace(string BodyName, string Purpose, string? HolderName)
{
    /// <summary>Longest seal text accepted; real seal texts are well under this.</summary>
    public const int MaxSealTextLength = 64;

    // Suffixes that end the name of a government body; the purpose text follows them.
    private static readonly string[] BodySuffixes =
    [
        "人民政府", "政府", "办事处", "委员会", "局", "委", "厅", "院", "中心", "站", "公司", "所",
    ];

    /// <summary>
    /// Splits a registry seal text, e.g. "牡丹区行政审批服务局审批专用章（沙土镇）" →
    /// ("牡丹区行政审批服务局", "审批专用章", "沙土镇"). A text with no recognisable body suffix
    /// keeps everything before the purpose ("…专用章"/"…章") or, failing that, is all body.
    /// </summary>
    public static SealFace FromSealText(string sealText)
    {
        ArgumentNullException.ThrowIfNull(sealText);
        var text = sealText.Trim();
        if (text.Length == 0 || text.Length > MaxSealTextLength || text.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"SEAL_TEXT_INVALID: seal text must be 1..{MaxSealTextLength} characters without control characters",
                nameof(sealText));
        }

        string? holder = null;
        if (text[^1] is '）' or ')')
        {
            var open = Math.Max(text.LastIndexOf('（'), text.LastIndexOf('('));
            if (open > 0 && open < text.Length - 2)
            {
                holder = text[(open + 1)..^1].Trim();
                text = text[..open].TrimEnd();
            }
        }

        if (!text.EndsWith('章'))
        {
            return new SealFace(text, string.Empty, holder);
        }

        var split = -1;
        foreach (var suffix in BodySuffixes)
        {
            var at = text.LastIndexOf(suffix, StringComparison.Ordinal);
            var end = at + suffix.Length;
            if (at > 0 && end < text.Length && end > split)
            {
                split = end;
            }
        }

        if (split < 0)
        {
            // No body suffix: take a conventional purpose ending ("…专用章" with its two-character
            // qualifier, or a bare "公章") and leave the rest as the body.
            var special = text.LastIndexOf("专用章", StringComparison.Ordinal);
            split = special >= 2 ? special - 2 : text.Length - 2;
            if (split <= 0)
            {
                return new SealFace(text, string.Empty, holder);
            }
        }

        return new SealFace(text[..split], text[split..], holder);
    }

    /// <summary>The text as the registry writes it, rebuilt from the parts.</summary>
    public string ToSealText() =>
        BodyName + Purpose + (string.IsNullOrEmpty(HolderName) ? string.Empty : $"（{HolderName}）");

    /// <summary>Every character drawn on the seal (for font subsetting and coverage checks).</summary>
    public string DrawnText => BodyName + Purpose + (string.IsNullOrEmpty(HolderName) ? string.Empty : $"（{HolderName}）");
}
