using SealService.Domain.Demo;
using SealService.Domain.Stamping;

namespace SealService.Domain.Tests;

public sealed class DocumentNumberPatternTests
{
    [Theory]
    [InlineData("牡审沙〔{year}〕{seq:0000}号", 2026, 1, "牡审沙〔2026〕0001号")]
    [InlineData("牡审沙〔{year}〕{seq:0000}号", 2026, 12345, "牡审沙〔2026〕12345号")]
    [InlineData("泽审〔{year}〕第{seq}号", 2027, 7, "泽审〔2027〕第7号")]
    public void Formats_year_and_padded_sequence(string pattern, int year, long seq, string expected)
    {
        Assert.True(DocumentNumberPattern.IsValid(pattern));
        Assert.Equal(expected, DocumentNumberPattern.Format(pattern, year, seq));
    }

    [Theory]
    [InlineData("牡审沙〔{year}〕号")]            // no sequence
    [InlineData("牡审沙〔2026〕{seq:0000}号")]     // no year: would repeat next year
    [InlineData("{year}{seq}{seq}")]
    [InlineData("{year}{seq}{other}")]
    [InlineData("")]
    public void Rejects_patterns_that_cannot_number_uniquely(string pattern) =>
        Assert.False(DocumentNumberPattern.IsValid(pattern));

    [Fact]
    public void Defaults_for_the_demo_seals_are_valid_and_distinct()
    {
        var seals = DemoRegistry.Build(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.FromHours(8))).Seals;
        var defaults = seals.ToDictionary(s => s.Id, DocumentNumberPattern.Default);
        Assert.All(defaults.Values, p => Assert.True(DocumentNumberPattern.IsValid(p), p));
        Assert.True(defaults.Count == defaults.Values.Distinct().Count(), string.Join(" ", defaults.Select(d => d.Key + "=" + d.Value)));
        Assert.Equal("牡审沙〔{year}〕{seq:0000}号", defaults["seal-mudan-spj-shatu"]);
        Assert.Equal("牡审吴〔{year}〕{seq:0000}号", defaults["seal-mudan-spj-wudian"]);
    }
}
