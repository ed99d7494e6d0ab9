using System.Text;

namespace SealService.Bench;

/// <summary>The benchmarks' input: a one-page PDF padded to about a size with an unused random stream.</summary>
internal static class BenchPdf
{
    public static void Write(Stream f, int size)
    {
        var offsets = new List<long>();
        void Obj(string body)
        {
            offsets.Add(f.Position);
            f.Write(Encoding.ASCII.GetBytes($"{offsets.Count} 0 obj\n{body}\nendobj\n"));
        }

        f.Write("%PDF-1.7\n"u8);
        Obj("<< /Type /Catalog /Pages 2 0 R >>");
        Obj("<< /Type /Pages /Count 1 /Kids [3 0 R] >>");
        Obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
        var padding = new byte[Math.Max(0, size - 600)];
        Random.Shared.NextBytes(padding);
        offsets.Add(f.Position);
        f.Write(Encoding.ASCII.GetBytes($"4 0 obj\n<< /Length {padding.Length} >>\nstream\n"));
        f.Write(padding);
        f.Write("\nendstream\nendobj\n"u8);
        var xref = f.Position;
        var sb = new StringBuilder($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            sb.Append($"{o:D10} 00000 n \n");
        }

        sb.Append($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        f.Write(Encoding.ASCII.GetBytes(sb.ToString()));
    }
}
