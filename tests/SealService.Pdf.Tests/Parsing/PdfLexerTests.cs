using System.Text;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Tests.Parsing;

public sealed class PdfLexerTests
{
    private static PdfObject Parse(string text)
    {
        var lexer = new PdfLexer(Encoding.Latin1.GetBytes(text), 0, windowIsWholeSource: true);
        return lexer.ReadObject();
    }

    [Fact]
    public void Parses_nested_dictionary_with_references_names_and_strings()
    {
        var d = Assert.IsType<PdfDictionary>(Parse(
            "<</Type/Annot/Name/A#20X /P 12 0 R/Rect[1 -2.5 +3 .5]/T(a\\(b\\)\\101\\n(c))/H<4E6F7>/N null/B true>>"));

        Assert.Equal("Annot", Assert.IsType<PdfName>(d["Type"]).Value);
        Assert.Equal("A X", Assert.IsType<PdfName>(d["Name"]).Value);
        Assert.Equal(new PdfObjectId(12, 0), Assert.IsType<PdfReference>(d["P"]).Id);
        var rect = Assert.IsType<PdfArray>(d["Rect"]);
        Assert.Equal([1, -2.5, 3, 0.5], rect.Items.Cast<PdfNumber>().Select(n => n.Value));
        Assert.Equal("a(b)A\n(c)", Assert.IsType<PdfString>(d["T"]).Text);
        Assert.Equal([0x4E, 0x6F, 0x70], Assert.IsType<PdfString>(d["H"]).Bytes);
        Assert.False(d.ContainsKey("N")); // null means absent
        Assert.True(Assert.IsType<PdfBoolean>(d["B"]).Value);
    }

    [Theory]
    [InlineData("5", 5L)]
    [InlineData("5 0", 5L)]
    [InlineData("7 ", 7L)]
    public void Number_at_end_of_data_is_not_mistaken_for_a_reference(string text, long expected)
    {
        Assert.Equal(expected, Assert.IsType<PdfNumber>(Parse(text)).LongValue);
    }

    [Fact]
    public void Array_of_integers_and_references_is_split_correctly()
    {
        var a = Assert.IsType<PdfArray>(Parse("[1 2 3 0 R 4 0 R 5]"));
        Assert.Collection(a.Items,
            x => Assert.Equal(1, Assert.IsType<PdfNumber>(x).LongValue),
            x => Assert.Equal(2, Assert.IsType<PdfNumber>(x).LongValue),
            x => Assert.Equal(3, Assert.IsType<PdfReference>(x).Id.Number),
            x => Assert.Equal(4, Assert.IsType<PdfReference>(x).Id.Number),
            x => Assert.Equal(5, Assert.IsType<PdfNumber>(x).LongValue));
    }

    [Theory]
    [InlineData("<< /A 1")]
    [InlineData("[1 2")]
    [InlineData("(unterminated")]
    [InlineData("<< /A >>")]
    [InlineData("<< 1 2 >>")]
    public void Malformed_objects_raise_PDF_INVALID(string text)
    {
        var e = Assert.Throws<PdfFormatException>(() => Parse(text));
        Assert.Equal(PdfFormatException.Invalid, e.Code);
    }

    [Theory]
    [InlineData("plain (with) \\ backslash")]
    [InlineData("中文 text")]
    [InlineData("tab\tand newline\n")]
    public void Written_strings_read_back_identically(string text)
    {
        var dict = new PdfDictionary { ["T"] = SealService.Pdf.Signing.PdfObjectWriter.Text(text) };
        using var buffer = new MemoryStream();
        new SealService.Pdf.Signing.PdfObjectWriter(buffer).Write(dict);

        var back = Assert.IsType<PdfDictionary>(Parse(Encoding.Latin1.GetString(buffer.ToArray())));

        Assert.Equal(text, Assert.IsType<PdfString>(back["T"]).Text);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var e = Assert.Throws<PdfFormatException>(() => Parse(new string('[', 1000) + new string(']', 1000)));
        Assert.Equal(PdfFormatException.Invalid, e.Code);
    }
}
