using System.Globalization;
using System.IO.Compression;
using System.Text;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>Builds the dictionaries and streams a visible signature adds.</summary>
internal static class SignatureObjects
{
    public const string ContentsKey = "Contents";
    public const string ByteRangeKey = "ByteRange";

    /// <summary>"[0 a b c]" with room for 10-digit numbers, patched once the layout is known.</summary>
    public static readonly int ByteRangeWidth = "[0 0000000000 0000000000 0000000000]".Length;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static PdfDictionary SignatureDictionary(SignatureOptions options, int maxSignatureSize)
    {
        var contents = new byte[2 + (2 * maxSignatureSize)];
        contents.AsSpan().Fill((byte)'0');
        contents[0] = (byte)'<';
        contents[^1] = (byte)'>';
        var byteRange = Encoding.ASCII.GetBytes("[0 0 0 0]".PadRight(ByteRangeWidth - 1) + "]");
        var dict = new PdfDictionary
        {
            ["Type"] = new PdfName(options.DocumentTimestamp ? "DocTimeStamp" : "Sig"),
            ["Filter"] = new PdfName("Adobe.PPKLite"),
            ["SubFilter"] = new PdfName(options.DocumentTimestamp ? "ETSI.RFC3161" : "ETSI.CAdES.detached"),
            [ByteRangeKey] = new PdfPlaceholder(ByteRangeKey, byteRange),
            [ContentsKey] = new PdfPlaceholder(ContentsKey, contents),
        };
        if (options.DocumentTimestamp)
        {
            return dict; // the token carries the time; ETSI EN 319 142-1 wants no /M, /Name or /Reason here
        }

        dict["M"] = new PdfString(Encoding.ASCII.GetBytes(PdfDate(options.SigningTime)));
        AddText(dict, "Name", options.Name);
        AddText(dict, "Reason", options.Reason);
        AddText(dict, "Location", options.Location);
        AddText(dict, "ContactInfo", options.ContactInfo);
        return dict;
    }

    /// <summary>D:YYYYMMDDHHmmSS+08'00' in China Standard Time.</summary>
    public static string PdfDate(DateTimeOffset time)
    {
        var local = time.ToOffset(ChinaStandardTime);
        return "D:" + local.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+08'00'";
    }

    public static byte[] FormatByteRange(long a, long b, long c)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"[0 {a} {b} {c}");
        if (text.Length > ByteRangeWidth - 1)
        {
            throw new InvalidOperationException("file too large for the ByteRange placeholder");
        }

        return Encoding.ASCII.GetBytes(text.PadRight(ByteRangeWidth - 1) + "]");
    }

    /// <summary>Widget annotation merged with its signature field (ISO 32000-1 12.5.6.19, 12.7.4.5).</summary>
    public static PdfDictionary Widget(string fieldName, PdfReference signature, PdfReference page, PdfRect rect, PdfReference appearance) => new()
    {
        ["Type"] = new PdfName("Annot"),
        ["Subtype"] = new PdfName("Widget"),
        ["FT"] = new PdfName("Sig"),
        ["T"] = PdfObjectWriter.Text(fieldName),
        ["V"] = signature,
        ["F"] = new PdfNumber(4 | 128), // Print, Locked
        ["P"] = page,
        ["Rect"] = RectArray(rect),
        ["AP"] = new PdfDictionary { ["N"] = appearance },
    };

    public static PdfArray RectArray(PdfRect r) =>
        new([new PdfNumber(r.X), new PdfNumber(r.Y), new PdfNumber(r.Right), new PdfNumber(r.Top)]);

    /// <summary>The appearance form: the seal image scaled to the widget, or empty without one.</summary>
    public static PdfDataStream AppearanceForm(PdfRect rect, PdfReference? image, double imageAspect = 1)
    {
        var dict = new PdfDictionary
        {
            ["Type"] = new PdfName("XObject"),
            ["Subtype"] = new PdfName("Form"),
            ["BBox"] = new PdfArray([new PdfNumber(0), new PdfNumber(0), new PdfNumber(rect.Width), new PdfNumber(rect.Height)]),
        };
        var content = string.Empty;
        if (image is not null)
        {
            dict["Resources"] = new PdfDictionary { ["XObject"] = new PdfDictionary { ["Seal"] = image } };
            // Fit the image inside the rectangle, centred, keeping its aspect ratio (a seal stays round).
            var (w, h) = rect.Width / rect.Height > imageAspect
                ? (rect.Height * imageAspect, rect.Height)
                : (rect.Width, rect.Width / imageAspect);
            var (x, y) = ((rect.Width - w) / 2, (rect.Height - h) / 2);
            content = string.Create(CultureInfo.InvariantCulture, $"q {w:0.###} 0 0 {h:0.###} {x:0.###} {y:0.###} cm /Seal Do Q");
        }

        return new PdfDataStream(dict, Encoding.ASCII.GetBytes(content));
    }

    /// <summary>The RGB image and its alpha as /SMask, both Flate-compressed (once per appearance).</summary>
    public static (PdfDataStream Image, PdfDataStream Mask) Image(SealAppearance appearance)
    {
        var (rgb, alpha) = appearance.FlateEncoded;
        var mask = new PdfDataStream(ImageDictionary(appearance, "DeviceGray"), alpha);
        var image = new PdfDataStream(ImageDictionary(appearance, "DeviceRGB"), rgb);
        return (image, mask);
    }

    /// <summary>Splits RGBA into RGB and alpha samples and Flate-compresses each.</summary>
    public static (byte[] Rgb, byte[] Alpha) EncodePixels(SealAppearance appearance)
    {
        var pixels = appearance.Width * appearance.Height;
        var rgb = new byte[pixels * 3];
        var alpha = new byte[pixels];
        var src = appearance.Rgba;
        for (var i = 0; i < pixels; i++)
        {
            rgb[i * 3] = src[i * 4];
            rgb[(i * 3) + 1] = src[(i * 4) + 1];
            rgb[(i * 3) + 2] = src[(i * 4) + 2];
            alpha[i] = src[(i * 4) + 3];
        }

        return (Deflate(rgb), Deflate(alpha));
    }

    private static PdfDictionary ImageDictionary(SealAppearance a, string colorSpace) => new()
    {
        ["Type"] = new PdfName("XObject"),
        ["Subtype"] = new PdfName("Image"),
        ["Width"] = new PdfNumber(a.Width),
        ["Height"] = new PdfNumber(a.Height),
        ["ColorSpace"] = new PdfName(colorSpace),
        ["BitsPerComponent"] = new PdfNumber(8),
        ["Filter"] = new PdfName("FlateDecode"),
    };

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    private static void AddText(PdfDictionary dict, string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.Length > SignatureOptions.MaxTextLength)
        {
            throw new ArgumentException($"{key} is longer than {SignatureOptions.MaxTextLength} characters");
        }

        dict[key] = PdfObjectWriter.Text(value);
    }
}
