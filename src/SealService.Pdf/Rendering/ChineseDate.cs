using System.Text;

namespace SealService.Pdf.Rendering;

/// <summary>Dates as Chinese documents write them.</summary>
public static class ChineseDate
{
    private const string Digits = "〇一二三四五六七八九";

    /// <summary>二〇二六年十一月二十九日: year digit by digit, month and day as numbers.</summary>
    public static string Format(DateOnly date)
    {
        var builder = new StringBuilder(12);
        foreach (var c in date.Year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))
        {
            builder.Append(Digits[c - '0']);
        }

        builder.Append('年');
        AppendNumber(builder, date.Month);
        builder.Append('月');
        AppendNumber(builder, date.Day);
        builder.Append('日');
        return builder.ToString();
    }

    /// <summary>2026年11月29日 (the GB/T 9704-2012 style).</summary>
    public static string FormatArabic(DateOnly date) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");

    // 1..31: 一 … 十, 十一 … 十九, 二十, 二十一 … 三十一.
    private static void AppendNumber(StringBuilder builder, int value)
    {
        var tens = value / 10;
        var ones = value % 10;
        if (tens > 1)
        {
            builder.Append(Digits[tens]);
        }

        if (tens > 0)
        {
            builder.Append('十');
        }

        if (ones > 0 || tens == 0)
        {
            builder.Append(Digits[ones]);
        }
    }
}
