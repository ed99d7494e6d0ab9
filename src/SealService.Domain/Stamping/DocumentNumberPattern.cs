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
        && pattern.Contains("{year}", StringComparison.Ordinal)
        && !RemainingBraces().IsMatch(SeqPlaceholder().Replace(pattern.Replace("{year}", string.Empty, StringComparison.Ordinal), string.Empty));

    public static string Format(string pattern, int year, long sequence) =>
        SeqPlaceholder().Replace(pattern.Replace("{year}", year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), m =>
            sequence.ToString(CultureInfo.InvariantCulture).PadLeft(m.Groups[1].Success ? m.Groups[1].Value.Length : 0, '0'));

    /// <summary>
    /// Default from the seal text: its first character; then 审 for an approval body (审批) or else the body's first character
    /// after the county (山亭区人力资源和社会保障局… → 人); then the holder's first character — from the brackets of a No. 2 seal
    /// (…（沙土镇） → 沙) or the town of a township seal. 牡丹区行政审批服务局审批专用章（沙土镇） → 牡审沙〔{year}〕{seq:0000}号.
    /// Numbers are unique per seal; configure a pattern where two seals would print alike.
    /// </summary>
    public static string Default(Seal seal)
    {
        var text = seal.Text.Trim();
        var first = text.Length > 0 ? text[..1] : "文";
        var county = CountyEnd().Match(text);
        var rest = county.Success ? text[(county.Index + county.Length)..] : text[Math.Min(1, text.Length)..];
        var holder = HolderInBrackets().Match(text);
        string body, third;
        if (seal.Kind == SealKind.TownshipOwn)
        {
            body = "审";
            third = TownName().Match(rest) is { Success: true } town ? town.Groups[1].Value[..1] : string.Empty;
        }
        else
        {
            var name = holder.Success ? rest[..Math.Max(0, rest.IndexOf(holder.Value, StringComparison.Ordinal))] : rest;
            var bodyName = name.Split("局", 2)[0];
            body = bodyName.Contains("审批", StringComparison.Ordinal) || bodyName.Length == 0 ? "审" : bodyName[..1];
            third = holder.Success ? holder.Groups[1].Value[..1] : string.Empty;
        }

        return $"{first}{body}{third}〔{{year}}〕{{seq:0000}}号";
    }

    [GeneratedRegex(@"\{seq(?::(0{1,12}))?\}")]
    private static partial Regex SeqPlaceholder();

    [GeneratedRegex(@"[{}]")]
    private static partial Regex RemainingBraces();

    [GeneratedRegex(@"[（(]([^）)]+)[）)]")]
    private static partial Regex HolderInBrackets();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}+?[区县]")]
    private static partial Regex CountyEnd();

    [GeneratedRegex(@"^(\S+?)(镇|乡|街道)")]
    private static partial Regex TownName();
}
