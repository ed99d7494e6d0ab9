using System.Runtime.InteropServices;
using SkiaSharp;

namespace SealService.Pdf.Signing;

/// <summary>
/// The seal picture shown by the signature widget, as straight (unpremultiplied) RGBA pixels. Reuse one instance per seal
/// image: the Flate-compressed image streams are built on first use and kept, so <see cref="Rgba"/> must not change after.
/// </summary>
public sealed class SealAppearance
{
    public const int MaxDimension = 4096;
    public const int MaxPngBytes = 16 << 20;

    private readonly Lazy<(byte[] Rgb, byte[] Alpha)> _flateEncoded;

    private SealAppearance(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
        _flateEncoded = new Lazy<(byte[] Rgb, byte[] Alpha)>(() => SignatureObjects.EncodePixels(this));
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Rgba { get; }

    /// <summary>RGB samples and alpha samples, each Flate-compressed; compressing 600×600 pixels costs ≈ 10 ms, so once.</summary>
    internal (byte[] Rgb, byte[] Alpha) FlateEncoded => _flateEncoded.Value;

    public static SealAppearance FromRgba(int width, int height, byte[] rgba)
    {
        ArgumentNullException.ThrowIfNull(rgba);
        if (width is < 1 or > MaxDimension || height is < 1 or > MaxDimension)
        {
            throw new PdfSigningException(PdfSigningException.ImageInvalid, $"seal image must be 1..{MaxDimension} pixels a side");
        }

        if (rgba.Length != width * height * 4)
        {
            throw new PdfSigningException(PdfSigningException.ImageInvalid, "seal image RGBA buffer does not match its size");
        }

        return new SealAppearance(width, height, rgba);
    }

    public static SealAppearance FromPng(ReadOnlySpan<byte> png)
    {
        if (png.Length is 0 or > MaxPngBytes || !png.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            throw new PdfSigningException(PdfSigningException.ImageInvalid, "seal image is not a PNG of acceptable size");
        }

        using var data = SKData.CreateCopy(png);
        using var codec = SKCodec.Create(data)
            ?? throw new PdfSigningException(PdfSigningException.ImageInvalid, "seal image PNG cannot be decoded");
        var info = codec.Info;
        if (info.Width is < 1 or > MaxDimension || info.Height is < 1 or > MaxDimension)
        {
            throw new PdfSigningException(PdfSigningException.ImageInvalid, $"seal image must be 1..{MaxDimension} pixels a side");
        }

        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[target.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(target, handle.AddrOfPinnedObject());
            if (result is not SKCodecResult.Success)
            {
                throw new PdfSigningException(PdfSigningException.ImageInvalid, $"seal image PNG cannot be decoded ({result})");
            }
        }
        finally
        {
            handle.Free();
        }

        return new SealAppearance(info.Width, info.Height, rgba);
    }
}
