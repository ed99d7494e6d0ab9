using System.Globalization;
using System.Text;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>A stream built for an update: dictionary plus its (already encoded) data.</summary>
internal sealed class PdfDataStream(PdfDictionary dictionary, byte[] data) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;

    public byte[] Data { get; } = data;
}

/// <summary>Bytes written verbatim whose position the writer records, to be patched later.</summary>
internal sealed class PdfPlaceholder(string key, byte[] bytes) : PdfObject
{
    public string Key { get; } = key;

    public byte[] Bytes { get; } = bytes;
}

/// <summary>Serializes PDF objects into a buffer, recording where placeholders land.</summary>
internal sealed class PdfObjectWriter(MemoryStream buffer)
{
    public Dictionary<string, long> PlaceholderOffsets { get; } = [];

    public long Position => buffer.Position;

    public void WriteRaw(string ascii) => buffer.Write(Encoding.ASCII.GetBytes(ascii));

    public void WriteRaw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public void WriteIndirect(PdfObjectId id, PdfObject value)
    {
        WriteRaw($"{id.Number} {id.Generation} obj\n");
        if (value is PdfDataStream stream)
        {
            stream.Dictionary["Length"] = new PdfNumber(stream.Data.Length);
            Write(stream.Dictionary);
            WriteRaw("\nstream\n");
            WriteRaw(stream.Data);
            WriteRaw("\nendstream");
        }
        else
        {
            Write(value);
        }

        WriteRaw("\nendobj\n");
    }

    public void Write(PdfObject value)
    {
        switch (value)
        {
            case PdfNull:
                WriteRaw("null");
                break;
            case PdfBoolean b:
                WriteRaw(b.Value ? "true" : "false");
                break;
            case PdfNumber n:
                WriteRaw(n.ToString());
                break;
            case PdfName name:
                WriteName(name.Value);
                break;
            case PdfString s:
                WriteString(s);
                break;
            case PdfReference r:
                WriteRaw(r.Id.ToString());
                break;
            case PdfArray a:
                WriteRaw("[");
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        WriteRaw(" ");
                    }

                    Write(a[i]);
                }

                WriteRaw("]");
                break;
            case PdfDictionary d:
                WriteRaw("<<");
                foreach (var (key, v) in d.Entries)
                {
                    WriteName(key);
                    WriteRaw(" ");
                    Write(v);
                }

                WriteRaw(">>");
                break;
            case PdfPlaceholder p:
                PlaceholderOffsets[p.Key] = buffer.Position;
                WriteRaw(p.Bytes);
                break;
            default:
                // Streams read from a file are never rewritten: an update only replaces dictionaries.
                throw new InvalidOperationException($"cannot write {value.GetType().Name} directly");
        }
    }

    private void WriteName(string name)
    {
        var sb = new StringBuilder("/");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is < 0x21 or > 0x7E or (byte)'#' || PdfLexer.IsDelimiter(b))
            {
                sb.Append('#').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        WriteRaw(sb.ToString());
    }

    private void WriteString(PdfString s)
    {
        if (!s.IsHex && s.Bytes.All(b => b is >= 0x20 and < 0x7F))
        {
            // Printable ASCII stays readable as a literal string.
            var text = System.Text.Encoding.ASCII.GetString(s.Bytes)
                .Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("(", "\\(", StringComparison.Ordinal)
                .Replace(")", "\\)", StringComparison.Ordinal);
            WriteRaw("(" + text + ")");
            return;
        }

        // Hex keeps any other byte safe and the output ASCII.
        WriteRaw("<");
        WriteRaw(Convert.ToHexString(s.Bytes));
        WriteRaw(">");
    }

    /// <summary>A text string: PDFDocEncoding-compatible ASCII as is, anything else UTF-16BE with BOM.</summary>
    public static PdfString Text(string text)
    {
        if (text.All(c => c is >= ' ' and < (char)0x7F))
        {
            return new PdfString(Encoding.ASCII.GetBytes(text));
        }

        var bytes = new byte[2 + (text.Length * 2)];
        bytes[0] = 0xFE;
        bytes[1] = 0xFF;
        Encoding.BigEndianUnicode.GetBytes(text, 0, text.Length, bytes, 2);
        return new PdfString(bytes);
    }
}
