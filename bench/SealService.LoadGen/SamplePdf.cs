using System.Globalization;
using System.Text;

namespace SealService.LoadGen;

/// <summary>
/// A plain one-page PDF of about <c>targetBytes</c> (text in an uncompressed content stream, Helvetica), written with
/// an exact cross-reference table so any reader accepts it. The upload workload signs this document.
/// </summary>
internal static class SamplePdf
{
    public static byte[] Create(int targetBytes = 20 * 1024)
    {
        var content = new StringBuilder("BT /F1 4.5 Tf 5 TL 30 815 Td\n");
        var line = 0;
        while (content.Length < targetBytes - 900)
        {
            content.Append(CultureInfo.InvariantCulture,
                $"(Line {++line:000}: SealService load test sample document, uploaded for signing with the township's seal. 0123456789 ABCDEFGHIJ) '\n");
        }

        content.Append("ET\n");
        var body = content.ToString();

        var pdf = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        void Object(string text)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{text}\nendobj\n");
        }

        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        Object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        Object($"<< /Length {Encoding.Latin1.GetByteCount(body)} >>\nstream\n{body}endstream");

        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n\r\n");
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }
}
