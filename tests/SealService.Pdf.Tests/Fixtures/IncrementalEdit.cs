using System.Globalization;
using System.Text;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>
/// Writes an incremental update by hand, as an attacker (or another tool) would: the given objects, a classic xref
/// section for them and a trailer chained to the previous one. Objects are PDF source text without "n 0 obj".
/// </summary>
public static class IncrementalEdit
{
    public static byte[] Append(byte[] pdf, IReadOnlyDictionary<int, string> objects, string? rootOverride = null)
    {
        var reader = PdfFileReader.Open(new MemoryStream(pdf));
        var output = new MemoryStream();
        output.Write(pdf);
        if (pdf[^1] != '\n')
        {
            output.WriteByte((byte)'\n');
        }

        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = output.Position;
            Write(output, $"{number} 0 obj\n{body}\nendobj\n");
        }

        var xref = output.Position;
        var table = new StringBuilder("xref\n");
        foreach (var (number, offset) in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
        }

        var size = Math.Max(reader.Size, offsets.Keys.Max() + 1);
        var root = rootOverride ?? ((PdfReference)reader.Trailer["Root"]!).Id.ToString();
        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {size} /Root {root} /Prev {reader.StartXref} >>\nstartxref\n{xref}\n%%EOF\n");
        Write(output, table.ToString());
        return output.ToArray();
    }

    /// <summary>The first page's object number and its /Contents object number.</summary>
    public static (int Page, int Contents, int Pages) FirstPage(byte[] pdf)
    {
        var reader = PdfFileReader.Open(new MemoryStream(pdf));
        var catalog = reader.ResolveDictionary(reader.Trailer["Root"])!;
        var pagesRef = (PdfReference)catalog["Pages"]!;
        var kids = (PdfArray)reader.Resolve(reader.ResolveDictionary(pagesRef)!["Kids"])!;
        var pageRef = (PdfReference)kids[0];
        var page = reader.ResolveDictionary(pageRef)!;
        var contents = page["Contents"] as PdfReference ?? (PdfReference)((PdfArray)reader.Resolve(page["Contents"])!)[0];
        return (pageRef.Id.Number, contents.Id.Number, pagesRef.Id.Number);
    }

    /// <summary>An object's source text as the newest revision stores it (dictionary only, for small objects).</summary>
    public static string Source(byte[] pdf, int number)
    {
        var reader = PdfFileReader.Open(new MemoryStream(pdf));
        var entry = reader.CrossReferences[number];
        var text = Encoding.Latin1.GetString(pdf, (int)entry.Offset, (int)Math.Min(64 * 1024, pdf.Length - entry.Offset));
        var start = text.IndexOf("obj", StringComparison.Ordinal) + 3;
        var end = text.IndexOf("endobj", start, StringComparison.Ordinal);
        return text[start..end].Trim();
    }

    public static string Stream(string content) =>
        $"<< /Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream";

    private static void Write(Stream s, string text) => s.Write(Encoding.Latin1.GetBytes(text));
}
