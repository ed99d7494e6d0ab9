using System.IO.Compression;
using SealService.Pdf.Signing;
using SkiaSharp;

namespace SealService.Pdf.Tests.Signing;

public sealed class SealAppearanceTests
{
    [Fact]
    public void Png_is_decoded_to_straight_rgba()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(3, 2, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(SKColors.Transparent);
        bitmap.SetPixel(1, 0, new SKColor(200, 10, 20, 128));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);

        var appearance = SealAppearance.FromPng(png.ToArray());

        Assert.Equal((3, 2), (appearance.Width, appearance.Height));
        Assert.Equal([200, 10, 20, 128], appearance.Rgba[4..8]);
        Assert.Equal(0, appearance.Rgba[3]);
    }

    [Fact]
    public void Image_streams_are_compressed_once_and_decode_to_the_pixels()
    {
        var rgba = new byte[] { 200, 10, 20, 128, 1, 2, 3, 255, 0, 0, 0, 0, 9, 8, 7, 6 };
        var appearance = SealAppearance.FromRgba(2, 2, rgba);

        var (image, mask) = SignatureObjects.Image(appearance);
        var (again, againMask) = SignatureObjects.Image(appearance);

        Assert.Same(image.Data, again.Data);
        Assert.Same(mask.Data, againMask.Data);
        Assert.NotSame(image.Dictionary, again.Dictionary);
        Assert.Equal([200, 10, 20, 1, 2, 3, 0, 0, 0, 9, 8, 7], Inflate(image.Data));
        Assert.Equal([128, 255, 0, 6], Inflate(mask.Data));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4 })]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0 })]
    public void Bad_png_is_refused_with_a_code(byte[] data)
    {
        var e = Assert.Throws<PdfSigningException>(() => SealAppearance.FromPng(data));
        Assert.Equal(PdfSigningException.ImageInvalid, e.Code);
    }

    [Fact]
    public void Rgba_buffer_must_match_the_size()
    {
        var e = Assert.Throws<PdfSigningException>(() => SealAppearance.FromRgba(2, 2, new byte[15]));
        Assert.Equal(PdfSigningException.ImageInvalid, e.Code);
    }

    private static byte[] Inflate(byte[] data)
    {
        using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }
}
