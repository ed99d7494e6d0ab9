using System.Text;

namespace SealService.Domain.Catalogue;

/// <summary>Minimal RFC 4180 reader over a TextReader: quoted fields, doubled quotes, line numbers, size limits.</summary>
internal sealed class CsvReader(TextReader reader, string file)
{
    public const int MaxRecordChars = 16 * 1024;
    public const int MaxRecords = 20_000;
    public const int MaxFileChars = 4 * 1024 * 1024;

    private int _line;
    private long _fileChars;
    private int _records;

    /// <summary>Line number (1-based) where the last record returned started.</summary>
    public int RecordLine { get; private set; }

    public List<string>? ReadRecord()
    {
        var text = reader.ReadLine();
        if (text is null)
        {
            return null;
        }

        _line++;
        RecordLine = _line;
        CountChars(text.Length);
        if (++_records > MaxRecords)
        {
            throw CatalogueException.At(file, _line, $"文件超过 {MaxRecords} 行 (too many rows)");
        }

        if (_line == 1 && text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var fields = new List<string>();
        var sb = new StringBuilder();
        var i = 0;
        var quoted = false;
        var total = 0;
        while (true)
        {
            if (i >= text.Length)
            {
                if (!quoted)
                {
                    break;
                }

                // Quoted field spans lines.
                text = reader.ReadLine() ?? throw CatalogueException.At(file, RecordLine, "引号未闭合 (unterminated quote)");
                _line++;
                CountChars(text.Length);
                sb.Append('\n');
                i = 0;
                continue;
            }

            if (++total > MaxRecordChars)
            {
                throw CatalogueException.At(file, RecordLine, $"行过长 (record longer than {MaxRecordChars} characters)");
            }

            var c = text[i++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i < text.Length && text[i] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString().Trim());
                sb.Clear();
            }
            else if (c == '"' && sb.Length == 0)
            {
                quoted = true;
            }
            else
            {
                sb.Append(c);
            }
        }

        fields.Add(sb.ToString().Trim());
        return fields;
    }

    private void CountChars(int length)
    {
        _fileChars += length + 1;
        if (_fileChars > MaxFileChars)
        {
            throw CatalogueException.At(file, _line, $"文件超过 {MaxFileChars / 1024 / 1024} MB (file too large)");
        }
    }
}
