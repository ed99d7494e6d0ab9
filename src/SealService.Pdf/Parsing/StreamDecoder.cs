using System.IO.Compression;

namespace SealService.Pdf.Parsing;

/// <summary>Decodes the stream filters that cross-reference and object streams use (Flate + PNG predictors).</summary>
internal static class StreamDecoder
{
    public static byte[] Decode(byte[] raw, PdfDictionary dict, Func<PdfObject?, PdfObject?> resolve, int maxDecoded)
    {
        var filter = resolve(dict["Filter"]);
        var parms = resolve(dict["DecodeParms"]);
        if (filter is PdfArray fa)
        {
            if (fa.Count > 1)
            {
                throw new PdfFormatException(PdfFormatException.Unsupported, "chained stream filters are not supported here");
            }

            filter = fa.Count == 1 ? resolve(fa[0]) : null;
            parms = parms is PdfArray pa && pa.Count > 0 ? resolve(pa[0]) : null;
        }

        if (filter is null)
        {
            return raw;
        }

        if (filter is not PdfName { Value: "FlateDecode" })
        {
            throw new PdfFormatException(PdfFormatException.Unsupported, $"stream filter {filter} is not supported here");
        }

        var data = Inflate(raw, maxDecoded);
        if (parms is PdfDictionary p && resolve(p["Predictor"]) is PdfNumber { LongValue: > 1 } predictor)
        {
            var columns = resolve(p["Columns"]) is PdfNumber c ? (int)c.LongValue : 1;
            var colors = resolve(p["Colors"]) is PdfNumber co ? (int)co.LongValue : 1;
            var bpc = resolve(p["BitsPerComponent"]) is PdfNumber b ? (int)b.LongValue : 8;
            if (predictor.LongValue < 10)
            {
                throw new PdfFormatException(PdfFormatException.Unsupported, "TIFF predictor is not supported here");
            }

            data = UndoPng(data, columns, colors, bpc);
        }

        return data;
    }

    private static byte[] Inflate(byte[] raw, int maxDecoded)
    {
        try
        {
            using var input = new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[16384];
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                if (output.Length + n > maxDecoded)
                {
                    throw PdfFormatException.Bad("decoded stream too large");
                }

                output.Write(buffer, 0, n);
            }

            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new PdfFormatException(PdfFormatException.Invalid, "corrupt Flate stream", e);
        }
    }

    private static byte[] UndoPng(byte[] data, int columns, int colors, int bpc)
    {
        if (columns is < 1 or > 1 << 20 || colors is < 1 or > 32 || bpc is not (1 or 2 or 4 or 8 or 16))
        {
            throw PdfFormatException.Bad("bad predictor parameters");
        }

        var bpp = Math.Max(1, colors * bpc / 8);
        var rowLength = ((columns * colors * bpc) + 7) / 8;
        var rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var previous = new byte[rowLength];
        for (var r = 0; r < rows; r++)
        {
            var type = data[r * (rowLength + 1)];
            var src = data.AsSpan((r * (rowLength + 1)) + 1, rowLength);
            var row = output.AsSpan(r * rowLength, rowLength);
            for (var i = 0; i < rowLength; i++)
            {
                var left = i >= bpp ? row[i - bpp] : 0;
                var up = previous[i];
                var upLeft = i >= bpp ? previous[i - bpp] : 0;
                row[i] = type switch
                {
                    0 => src[i],
                    1 => (byte)(src[i] + left),
                    2 => (byte)(src[i] + up),
                    3 => (byte)(src[i] + ((left + up) / 2)),
                    4 => (byte)(src[i] + Paeth(left, up, upLeft)),
                    _ => throw PdfFormatException.Bad("bad PNG predictor row type"),
                };
            }

            row.CopyTo(previous);
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
