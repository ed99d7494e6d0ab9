using System.Globalization;
using System.Text;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>Builds input PDFs at test time (never committed): classic xref tables, forms, padding.</summary>
public static class TestPdfs
{
    public sealed record Options
    {
        public int Pages { get; init; } = 1;

        /// <summary>An AcroForm (indirect) with one text field, the widget on page 1.</summary>
        public bool WithTextField { get; init; }

        /// <summary>An empty signature field of this name (merged with its widget, on page 1 at 360,80 120x120).</summary>
        public string? EmptySignatureField { get; init; }

        /// <summary>Page 1's /Annots as an indirect array.</summary>
        public bool IndirectAnnots { get; init; }

        /// <summary>Bytes of an extra (unreferenced from content) stream, to make a big file.</summary>
        public long PaddingBytes { get; init; }
    }

    public static byte[] Simple(Options? options = null)
    {
        using var ms = new MemoryStream();
        Write(ms, options ?? new Options());
        return ms.ToArray();
    }

    public static string SimpleFile(string directory, string name, Options? options = null)
    {
        var path = Path.Combine(directory, name);
        using var fs = File.Create(path);
        Write(fs, options ?? new Options());
        return path;
    }

    /// <summary>Writes the PDF streaming (padding is written in chunks, never held in memory).</summary>
    public static void Write(Stream output, Options o)
    {
        var offsets = new SortedDictionary<int, long>();
        var w = new Writer(output);
        w.Raw("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var n = 1;
        var catalog = n++;
        var pagesId = n++;
        var font = n++;
        var pageIds = Enumerable.Range(0, o.Pages).Select(_ => n++).ToArray();
        var contentIds = Enumerable.Range(0, o.Pages).Select(_ => n++).ToArray();
        var hasForm = o.WithTextField || o.EmptySignatureField is not null;
        var acroForm = hasForm ? n++ : 0;
        var field = o.WithTextField ? n++ : 0;
        var sigField = o.EmptySignatureField is not null ? n++ : 0;
        var annots = o.IndirectAnnots ? n++ : 0;
        var padding = o.PaddingBytes > 0 ? n++ : 0;
        var widgets = string.Join(' ', new[] { field, sigField }.Where(f => f > 0).Select(f => $"{f} 0 R"));

        var acro = hasForm ? $" /AcroForm {acroForm} 0 R" : string.Empty;
        w.Obj(offsets, catalog, $"<< /Type /Catalog /Pages {pagesId} 0 R{acro} >>");
        w.Obj(offsets, pagesId, $"<< /Type /Pages /Count {o.Pages} /MediaBox [0 0 595 842] /Kids [{string.Join(' ', pageIds.Select(p => $"{p} 0 R"))}] >>");
        w.Obj(offsets, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for (var i = 0; i < o.Pages; i++)
        {
            var annotsEntry = i == 0 && o.IndirectAnnots ? $" /Annots {annots} 0 R"
                : i == 0 && hasForm ? $" /Annots [{widgets}]" : string.Empty;
            w.Obj(offsets, pageIds[i], $"<< /Type /Page /Parent {pagesId} 0 R /Resources << /Font << /F1 {font} 0 R >> >> /Contents {contentIds[i]} 0 R{annotsEntry} >>");
            var text = $"BT /F1 24 Tf 72 760 Td (Test page {i + 1}) Tj ET";
            w.Obj(offsets, contentIds[i], $"<< /Length {text.Length} >>\nstream\n{text}\nendstream");
        }

        if (hasForm)
        {
            w.Obj(offsets, acroForm, $"<< /Fields [{widgets}] /DA (/Helv 0 Tf 0 g) >>");
        }

        if (o.WithTextField)
        {
            w.Obj(offsets, field, $"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Zhang San) /Rect [72 600 300 630] /P {pageIds[0]} 0 R /F 4 >>");
        }

        if (o.EmptySignatureField is { } name)
        {
            w.Obj(offsets, sigField, $"<< /Type /Annot /Subtype /Widget /FT /Sig /T ({name}) /Rect [360 80 480 200] /P {pageIds[0]} 0 R /F 4 >>");
        }

        if (o.IndirectAnnots)
        {
            w.Obj(offsets, annots, $"[{widgets}]");
        }

        if (padding > 0)
        {
            offsets[padding] = w.Position;
            w.Raw($"{padding} 0 obj\n<< /Length {o.PaddingBytes} >>\nstream\n");
            var chunk = new byte[1 << 16];
            new Random(7).NextBytes(chunk);
            for (var left = o.PaddingBytes; left > 0; left -= chunk.Length)
            {
                w.Bytes(chunk.AsSpan(0, (int)Math.Min(chunk.Length, left)));
            }

            w.Raw("\nendstream\nendobj\n");
        }

        var xref = w.Position;
        var sb = new StringBuilder($"xref\n0 {n}\n0000000000 65535 f \n");
        for (var i = 1; i < n; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{offsets[i]:D10} 00000 n \n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {n} /Root {catalog} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n{xref}\n%%EOF\n");
        w.Raw(sb.ToString());
    }

    private sealed class Writer(Stream output)
    {
        public long Position { get; private set; }

        public void Raw(string s) => Bytes(Encoding.Latin1.GetBytes(s));

        public void Bytes(ReadOnlySpan<byte> b)
        {
            output.Write(b);
            Position += b.Length;
        }

        public void Obj(SortedDictionary<int, long> offsets, int id, string body)
        {
            offsets[id] = Position;
            Raw($"{id} 0 obj\n{body}\nendobj\n");
        }
    }
}

/// <summary>Hand-made inputs for reader edge cases.</summary>
public static class SpecialPdfs
{
    /// <summary>
    /// A hybrid-reference file (ISO 32000-1 7.5.8.4): a classic table that lists the page as free and a
    /// trailer /XRefStm whose xref stream places it in an object stream.
    /// </summary>
    public static byte[] Hybrid()
    {
        var sb = new System.Text.StringBuilder("%PDF-1.5\n");
        var offsets = new long[7];
        void Obj(int n, string body)
        {
            offsets[n] = sb.Length;
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{n} 0 obj\n{body}\nendobj\n");
        }

        Obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Obj(2, "<< /Type /Pages /Count 1 /Kids [3 0 R] /MediaBox [0 0 595 842] >>");
        const string text = "BT /F1 24 Tf 72 760 Td (Hybrid) Tj ET";
        Obj(4, $"<< /Length {text.Length} >>\nstream\n{text}\nendstream");
        var header = "3 0 ";
        var page = "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>";
        Obj(5, $"<< /Type /ObjStm /N 1 /First {header.Length} /Length {header.Length + page.Length} >>\nstream\n{header}{page}\nendstream");
        offsets[6] = sb.Length;
        // Rows for objects 0..6, W [1 2 1]: type, offset or stream number, generation or index.
        var rows = new List<byte>();
        void Row(int type, long f2, int f3)
        {
            rows.Add((byte)type);
            rows.Add((byte)(f2 >> 8));
            rows.Add((byte)f2);
            rows.Add((byte)f3);
        }

        Row(0, 0, 255);
        Row(1, offsets[1], 0);
        Row(1, offsets[2], 0);
        Row(2, 5, 0);
        Row(1, offsets[4], 0);
        Row(1, offsets[5], 0);
        Row(1, offsets[6], 0);
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Length {rows.Count} >>\nstream\n");
        sb.Append(System.Text.Encoding.Latin1.GetString(rows.ToArray()));
        sb.Append("\nendstream\nendobj\n");
        var xref = sb.Length;
        sb.Append("xref\n0 7\n0000000000 65535 f \n");
        foreach (var n in new[] { 1, 2 })
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offsets[n]:D10} 00000 n \n");
        }

        sb.Append("0000000000 00000 f \n"); // object 3: free for old readers, compressed per /XRefStm
        foreach (var n in new[] { 4, 5, 6 })
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offsets[n]:D10} 00000 n \n");
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size 7 /Root 1 0 R /XRefStm {offsets[6]} >>\nstartxref\n{xref}\n%%EOF\n");
        return System.Text.Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>A file certified with DocMDP P=1 (no changes allowed, not even signatures).</summary>
    public static byte[] CertifiedNoChanges()
    {
        var sb = new System.Text.StringBuilder("%PDF-1.7\n");
        var offsets = new long[5];
        void Obj(int n, string body)
        {
            offsets[n] = sb.Length;
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{n} 0 obj\n{body}\nendobj\n");
        }

        Obj(1, "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>");
        Obj(2, "<< /Type /Pages /Count 1 /Kids [3 0 R] >>");
        Obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
        Obj(4, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] >>");
        var xref = sb.Length;
        sb.Append("xref\n0 5\n0000000000 65535 f \n");
        for (var n = 1; n < 5; n++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offsets[n]:D10} 00000 n \n");
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return System.Text.Encoding.Latin1.GetBytes(sb.ToString());
    }
}
