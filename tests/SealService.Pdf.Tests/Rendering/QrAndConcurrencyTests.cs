using QRCoder;
using SealService.Pdf.Rendering;
using SkiaSharp;
using static SealService.Pdf.Tests.Rendering.RenderTestSupport;

namespace SealService.Pdf.Tests.Rendering;

public sealed class QrAndConcurrencyTests
{
    /// <summary>
    /// Poppler's raster of the page carries, module for module, the QR code QRCoder computes for the
    /// verification URL (no QR decoder is installed; this checks our drawing is faithful).
    /// </summary>
    [Theory]
    [MemberData(nameof(TemplateIds), MemberType = typeof(RenderTestSupport))]
    public void QrCodeOnThePage_MatchesTheVerificationUrlsModules(string id)
    {
        var spec = Catalog.Get(id).QrCode;
        Assert.NotNull(spec);
        var url = $"https://seal.example.gov.cn/v/{id}-0042?k=Zm9v";
        var (_, path) = RenderToFile(id, c => c with { VerificationUrl = url });
        var prefix = path[..^4];
        try
        {
            const int Dpi = 300;
            var (code, _, stderr) = ExternalTools.Run("pdftoppm", "-r", $"{Dpi}", "-gray", "-png", "-singlefile", path, prefix);
            Assert.True(code == 0, stderr);
            using var page = SKBitmap.Decode(prefix + ".png");

            using var expected = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
            var modules = expected.ModuleMatrix.Count - 8; // QRCoder adds a 4-module quiet zone per side
            var pxPerMm = Dpi / 25.4;
            var cell = spec.SizeMm * pxPerMm / modules;
            var mismatches = 0;
            for (var row = 0; row < modules; row++)
            {
                for (var col = 0; col < modules; col++)
                {
                    var x = (int)((spec.XMm * pxPerMm) + ((col + 0.5) * cell));
                    var y = (int)((spec.YMm * pxPerMm) + ((row + 0.5) * cell));
                    var dark = page.GetPixel(x, y).Red < 128;
                    if (dark != expected.ModuleMatrix[row + 4][col + 4])
                    {
                        mismatches++;
                    }
                }
            }

            Assert.Equal(0, mismatches);
            // Quiet zone left of the code is white.
            Assert.True(page.GetPixel((int)((spec.XMm * pxPerMm) - (2 * cell)), (int)((spec.YMm + (spec.SizeMm / 2)) * pxPerMm)).Red > 200);
        }
        finally
        {
            File.Delete(path);
            File.Delete(prefix + ".png");
        }
    }

    /// <summary>The shared font and HarfBuzz face are used from many threads at once.</summary>
    [Fact]
    public void ParallelRenders_GiveTheSameBytesAsASequentialOne()
    {
        var ids = Catalog.Ids.ToArray();
        var reference = ids.ToDictionary(id => id, Render);
        var results = new byte[ids.Length * 6][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Render(ids[i % ids.Length]));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(reference[ids[i % ids.Length]], results[i]);
        }

        static byte[] Render(string id)
        {
            var (data, context) = Sample(id);
            using var stream = new MemoryStream();
            DocumentRenderer.Render(Catalog.Get(id), data.Fields, context, stream);
            return stream.ToArray();
        }
    }
}
