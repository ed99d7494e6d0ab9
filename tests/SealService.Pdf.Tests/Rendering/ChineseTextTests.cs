using SealService.Pdf.Rendering;
using static SealService.Pdf.Tests.Rendering.RenderTestSupport;

namespace SealService.Pdf.Tests.Rendering;

public sealed class ChineseTextTests
{
    [Theory]
    [InlineData(2026, 11, 29, "二〇二六年十一月二十九日")]
    [InlineData(2020, 10, 10, "二〇二〇年十月十日")]
    [InlineData(2000, 1, 31, "二〇〇〇年一月三十一日")]
    [InlineData(2026, 12, 20, "二〇二六年十二月二十日")]
    [InlineData(2031, 2, 5, "二〇三一年二月五日")]
    public void ChineseDate_WritesYearDigitByDigit_AndMonthDayAsNumbers(int y, int m, int d, string expected) =>
        Assert.Equal(expected, ChineseDate.Format(new DateOnly(y, m, d)));

    [Fact]
    public void LineBreaker_NeverStartsALineWithClosingPunctuation_NorEndsOneWithAnOpeningBracket()
    {
        // Ten one-em characters per line; punctuation falls exactly where a naive break would put it at a line start.
        const string text = "一二三四五六七八九十，一二三四五六七八九（十）。一二三四五六七八九十、一二三四五六七八九十";
        var cps = text.EnumerateRunes().Select(r => r.Value).ToArray();
        var advances = cps.Select(_ => 1f).ToArray();
        var lines = LineBreaker.Break(cps, advances, 10, 10);
        Assert.True(lines.Count >= 4);
        Assert.Equal(cps.Length, lines[^1].End);
        foreach (var (start, end) in lines)
        {
            Assert.True(end - start <= 10, "line overflows");
            Assert.DoesNotContain((char)cps[start], "，。、；：？！）》」』】”");
            Assert.DoesNotContain((char)cps[end - 1], "（《「『【“");
        }
    }

    [Fact]
    public void LineBreaker_KeepsLatinWordsWhole_AndCutsOnlyWhatCannotFit()
    {
        const string text = "编号MDQ-STZ-2026-001234已受理";
        var cps = text.EnumerateRunes().Select(r => r.Value).ToArray();
        var advances = cps.Select(c => c < 128 ? 0.5f : 1f).ToArray();
        string[] Lines(float width) => LineBreaker.Break(cps, advances, width, width)
            .Select(l => string.Concat(cps[l.Start..l.End].Select(char.ConvertFromUtf32))).ToArray();
        Assert.Equal(["编号", "MDQ-STZ-2026-001234", "已受理"], Lines(10));
        Assert.Equal(["编号", "MDQ-STZ-20", "26-001234", "已受理"], Lines(5));
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void RenderedLines_ObeyKinsoku(string id)
    {
        var (result, path) = RenderToFile(id);
        File.Delete(path);
        foreach (var line in result.Lines)
        {
            Assert.DoesNotContain(line.Text[0], "，。、；：？！）》」』】”");
            Assert.DoesNotContain(line.Text[^1], "（《「『【“");
        }
    }
}
