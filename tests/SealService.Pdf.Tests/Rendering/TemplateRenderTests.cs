using SealService.Pdf.Rendering;
using SkiaSharp;
using static SealService.Pdf.Tests.Rendering.RenderTestSupport;

namespace SealService.Pdf.Tests.Rendering;

/// <summary>Every template in templates/ rendered from its sample and checked with qpdf and poppler.</summary>
public sealed class TemplateRenderTests
{
    [Fact]
    public void Catalog_HasTheFourRequiredTemplates_EachWithASample()
    {
        foreach (var id in new[] { "acceptance-receipt", "review-opinion", "licence-decision", "certificate" })
        {
            Assert.True(Catalog.TryGet(id, out _), $"template {id} missing");
        }

        foreach (var id in Catalog.Ids)
        {
            Assert.True(File.Exists(Catalog.SamplePath(id)), $"templates/{id}.sample.json missing");
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void Sample_RendersToOneSmallPage_ThatQpdfAccepts(string id)
    {
        var (result, path) = RenderToFile(id);
        try
        {
            Assert.Equal(1, result.PageCount);
            Assert.True(new FileInfo(path).Length < 200 * 1024, $"{id}: {new FileInfo(path).Length} bytes");
            var (code, stdout, stderr) = ExternalTools.Run("qpdf", "--check", path);
            Assert.True(code == 0, $"qpdf --check failed for {id}: {stdout}{stderr}");
            Assert.Contains("No syntax or stream encoding errors", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void Sample_EmbedsOneSubsetCidTrueTypeFont_AndSetsMetadata(string id)
    {
        var (_, path) = RenderToFile(id);
        try
        {
            var fonts = ExternalTools.Run("pdffonts", path).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var rows = fonts.Skip(2).ToArray();
            var row = Assert.Single(rows);
            Assert.Contains("CID TrueType", row, StringComparison.Ordinal);
            Assert.Matches(@"yes\s+yes\s+yes", row); // embedded, subset, ToUnicode

            var info = ExternalTools.Run("pdfinfo", path).StdOut;
            Assert.Matches(@"Producer:\s+SealService", info);
            Assert.Matches(@"Title:\s+" + Catalog.Get(id).Title, info);
            Assert.Matches(@"CreationDate:\s+\S", info);
            Assert.Matches(@"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void Pdftotext_GivesBackExactlyTheLaidOutCharacters_InOrder(string id)
    {
        var (result, path) = RenderToFile(id);
        try
        {
            var expected = WithoutWhitespace(string.Concat(result.Lines.Select(l => l.Text)));
            var (code, extracted, _) = ExternalTools.Run("pdftotext", "-enc", "UTF-8", path, "-");
            Assert.Equal(0, code);
            Assert.Equal(expected, WithoutWhitespace(extracted));

            var (layoutCode, layoutText, _) = ExternalTools.Run("pdftotext", "-layout", "-enc", "UTF-8", path, "-");
            Assert.Equal(0, layoutCode);
            Assert.Equal(
                expected.Order().ToArray(),
                WithoutWhitespace(layoutText).Order().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void Draft_CarriesTheDraftMarkOnEveryPage_AndNoSealText(string id)
    {
        var (result, path) = RenderToFile(id);
        try
        {
            var extracted = ExternalTools.Run("pdftotext", "-enc", "UTF-8", path, "-").StdOut;
            var pages = extracted.Split('\f', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(result.PageCount, pages.Length);
            Assert.All(pages, page => Assert.Contains(RenderContext.DraftMark, page, StringComparison.Ordinal));
            Assert.DoesNotContain("专用章", extracted, StringComparison.Ordinal); // no seal's arc text anywhere
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NotADraft_HasNoDraftMark()
    {
        var (_, path) = RenderToFile("licence-decision", c => c with { Draft = false });
        try
        {
            Assert.DoesNotContain("样稿", ExternalTools.Run("pdftotext", "-enc", "UTF-8", path, "-").StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void Pdftoppm_ShowsNoRedSeal_AtTheReservedPlace(string id)
    {
        var (result, path) = RenderToFile(id);
        var prefix = path[..^4];
        try
        {
            var seal = Assert.IsType<SealPlacement>(result.Seal);
            var page = (seal.PageIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (code, _, stderr) = ExternalTools.Run("pdftoppm", "-r", "72", "-png", "-f", page, "-l", page, "-singlefile", path, prefix);
            Assert.True(code == 0, stderr);
            using var bitmap = SKBitmap.Decode(prefix + ".png");
            Assert.Equal(595, bitmap.Width, 1.0);

            // 72 dpi: one pixel per point; PDF y grows upwards, image rows grow downwards.
            var rect = SKRectI.Round(new SKRect(
                seal.X, result.PageHeight - seal.Y - seal.Height, seal.X + seal.Width, result.PageHeight - seal.Y));
            var inside = RedFraction(bitmap, rect, null);
            Assert.True(inside < 0.002, $"{id}: {inside:P2} red pixels inside the reserved seal rectangle of a draft");
        }
        finally
        {
            File.Delete(path);
            File.Delete(prefix + ".png");
        }
    }

    [Fact]
    public void SameInputAndCreationDate_GiveIdenticalBytes()
    {
        var (_, first) = RenderToFile("certificate");
        var (_, second) = RenderToFile("certificate");
        try
        {
            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    [Fact]
    public void IssueDate_IsPrintedInChineseForm()
    {
        var (result, path) = RenderToFile("acceptance-receipt", c => c with { IssueDate = new DateOnly(2026, 11, 29) });
        File.Delete(path);
        Assert.Contains(result.Lines, l => l.Text == "二〇二六年十一月二十九日");
        Assert.Contains(result.Lines, l => l.Text.Contains("牡审批受〔2026〕1234号", StringComparison.Ordinal));
    }

    private static double RedFraction(SKBitmap bitmap, SKRectI area, SKRectI? exclude)
    {
        int red = 0, total = 0;
        for (var y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
        {
            for (var x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
            {
                if (exclude is { } e && e.Contains(x, y))
                {
                    continue;
                }

                total++;
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 170 && c.Green < 110 && c.Blue < 110)
                {
                    red++;
                }
            }
        }

        return total == 0 ? 0 : (double)red / total;
    }
}
