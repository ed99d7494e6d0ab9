using System.Globalization;
using System.Text.RegularExpressions;
using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>
/// 文号 patterns: <c>{year}</c> and <c>{seq:0000}</c> (the zeros give the minimum width; <c>{seq}</c> alone is unpadded),
/// e.g. "牡审沙〔{year}〕{seq:0000}号" → 牡审沙〔2026〕0001号.
/// </summary>
public static partial class DocumentNumberPattern
{
    public const int MaxLength = 48;

    public static bool IsValid(string pattern) =>
        pattern.Length is > 0 and <= MaxLength && SeqPlaceholder().Matches(pattern).Count == 1 && !pattern.Any(char.IsControl)
        && !RemainingBraces().IsMatch(SeqPlaceholder().Replace(pattern.Replace("{year}", string.Empty, StringComparison.Ordinal), string.Empty));

    public static string Format(string pattern, int year, long sequence) =>
        SeqPlaceholder().Replace(pattern.Replace("{year}", year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), m =>
            sequence.ToString(CultureInfo.InvariantCulture).PadLeft(m.Groups[1].Success ? m.Groups[1].Value.Length : 0, '0'));

    /// <summary>
    /// Default from the seal text: first character, 审, and the holder's first character when the text names one in
    /// brackets (牡丹区行政审批服务局审批专用章（沙土镇） → 牡审沙), else the township's first character after 区/县 for a township
    /// seal (泽州县××镇… → 泽审×); then 〔{year}〕{seq:0000}号.
    /// </summary>
    public static string Default(Seal seal)
    {
        var text = seal.Text.Trim();
        var prefix = text.Length > 0 ? text[..1] : "文";
        var holder = HolderInBrackets().Match(text);
        var third = holder.Success ? holder.Groups[1].Value[..1]
            : seal.Kind == SealKind.TownshipOwn && TownAfterCounty().Match(text) is { Success: true } town ? town.Groups[1].Value[..1]
            : string.Empty;
        return $"{prefix}审{third}〔{{year}}〕{{seq:0000}}号";
    }

    [GeneratedRegex(@"\{seq(?::(0{1,12}))?\}")]
    private static partial Regex SeqPlaceholder();

    [GeneratedRegex(@"[{}]")]
    private static partial Regex RemainingBraces();

    [GeneratedRegex(@"[（(]([^）)]+)[）)]")]
    private static partial Regex HolderInBrackets();

    [GeneratedRegex(@"[区县](\p{IsCJKUnifiedIdeographs}+?)(镇|乡|街道)")]
    private static partial Regex TownAfterCounty();
}
