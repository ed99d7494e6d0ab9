using SealService.Pdf.Seals;
using SkiaSharp;

namespace SealService.Pdf.Tests.Seals;

public sealed class SealImageTests
{
    private static readonly SealFace Face = SealFace.FromSealText("牡丹区行政审批服务局审批专用章（沙土镇）");

    [Fact]
    public void RenderPng_IsDeterministicForTheSameText()
    {
        Assert.Equal(SealImage.RenderPng(Face, 300), SealImage.RenderPng(Face, 300));
        Assert.Equal(
            SealImage.RenderPng(Face, 300),
            SealImage.RenderPng(SealFace.FromSealText("牡丹区行政审批服务局审批专用章（沙土镇）"), 300));
    }

    [Fact]
    public void RenderPng_DiffersWhenTheTextDiffers() =>
        Assert.NotEqual(
            SealImage.RenderPng(Face, 300),
            SealImage.RenderPng(SealFace.FromSealText("牡丹区行政审批服务局审批专用章（吴店镇）"), 300));

    [Fact]
    public void RenderPng_IsARedRoundSealOnTransparentGround()
    {
        using var bitmap = SKBitmap.Decode(SealImage.RenderPng(Face, 400));
        Assert.Equal((400, 400), (bitmap.Width, bitmap.Height));

        // Corners outside the circle stay transparent.
        Assert.Equal(0, bitmap.GetPixel(5, 5).Alpha);
        Assert.Equal(0, bitmap.GetPixel(394, 394).Alpha);

        // Ring: left, right, bottom extremes lie on the 6 % wide outer ring; the star fills the centre.
        foreach (var (x, y) in new[] { (5, 200), (394, 200), (200, 394), (200, 200) })
        {
            var c = bitmap.GetPixel(x, y);
            Assert.True(IsSealRed(c), $"pixel ({x},{y}) is {c}");
        }

        var red = 0;
        for (var y = 0; y < 400; y++)
        {
            for (var x = 0; x < 400; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Alpha > 128) // faint anti-aliased edge pixels carry unpremultiply rounding noise
                {
                    Assert.True(c.Red > 150 && c.Green < 60 && c.Blue < 60, $"non-red ink at ({x},{y}): {c}");
                    red++;
                }
            }
        }

        Assert.InRange(red / (400.0 * 400.0), 0.08, 0.45);
    }

    [Fact]
    public void RenderPng_RefusesSillySizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SealImage.RenderPng(Face, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SealImage.RenderPng(Face, 100_000));
    }

    private static bool IsSealRed(SKColor c) => c.Alpha > 200 && c.Red > 200 && c.Green < 40 && c.Blue < 60;
}
