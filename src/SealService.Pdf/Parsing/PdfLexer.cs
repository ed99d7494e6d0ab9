using System.Globalization;
using System.Text;

namespace SealService.Pdf.Parsing;

/// <summary>
/// Parses PDF objects from a window of bytes read from the file. Running off the end of the window
/// throws <see cref="NeedMoreDataException"/> so the caller can retry with a larger window.
/// </summary>
internal ref partial struct PdfLexer
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _windowIsWholeSource;

    public PdfLexer(ReadOnlySpan<byte> buffer, long baseOffset, bool windowIsWholeSource)
    {
        _buffer = buffer;
        BaseOffset = baseOffset;
        _windowIsWholeSource = windowIsWholeSource;
    }

    public int Position { get; set; }

    public long BaseOffset { get; }

    public readonly bool AtEnd => Position >= _buffer.Length;

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'['
        or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private readonly byte Peek(int ahead = 0)
    {
        var p = Position + ahead;
        if (p >= _buffer.Length)
        {
            if (_windowIsWholeSource)
            {
                throw PdfFormatException.Bad($"unexpected end of data at offset {BaseOffset + p}");
            }

            throw new NeedMoreDataException();
        }

        return _buffer[p];
    }

    /// <summary>True if a byte exists <paramref name="ahead"/> of the position; asks for more data when the window ends first.</summary>
    private readonly bool Has(int ahead = 0)
    {
        if (Position + ahead < _buffer.Length)
        {
            return true;
        }

        return _windowIsWholeSource ? false : throw new NeedMoreDataException();
    }

    public void SkipWhitespace()
    {
        while (true)
        {
            if (Position >= _buffer.Length)
            {
                return;
            }

            var b = _buffer[Position];
            if (IsWhitespace(b))
            {
                Position++;
            }
            else if (b == '%')
            {
                while (Position < _buffer.Length && _buffer[Position] is not (byte)'\n' and not (byte)'\r')
                {
                    Position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Reads a bare keyword or number token (regular characters up to a delimiter).</summary>
    public string ReadToken()
    {
        SkipWhitespace();
        var start = Position;
        while (Has())
        {
            var b = _buffer[Position];
            if (IsWhitespace(b) || IsDelimiter(b))
            {
                break;
            }

            Position++;
            if (Position - start > 256)
            {
                throw PdfFormatException.Bad($"token too long at offset {BaseOffset + start}");
            }
        }

        return Encoding.ASCII.GetString(_buffer[start..Position]);
    }

    /// <summary>Like <see cref="ReadToken"/> but a token ending the window also ends the token.</summary>
    public string? TryReadToken()
    {
        SkipWhitespace();
        var start = Position;
        while (Position < _buffer.Length && !IsWhitespace(_buffer[Position]) && !IsDelimiter(_buffer[Position]))
        {
            Position++;
        }

        return Position == start ? null : Encoding.ASCII.GetString(_buffer[start..Position]);
    }

    public void Expect(string keyword)
    {
        var at = BaseOffset + Position;
        var token = ReadToken();
        if (token != keyword)
        {
            throw PdfFormatException.Bad($"expected '{keyword}' at offset {at}, found '{Truncate(token)}'");
        }
    }

    public long ReadInteger()
    {
        var at = BaseOffset + Position;
        var token = ReadToken();
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            throw PdfFormatException.Bad($"expected an integer at offset {at}, found '{Truncate(token)}'");
        }

        return v;
    }

    public PdfObject ReadObject() => ReadObject(0);

    /// <summary>
    /// After an indirect object's value: if the keyword "stream" follows, consumes it and its end of
    /// line and gives the absolute offset of the first data byte.
    /// </summary>
    public bool TryReadStreamKeyword(out long dataOffset)
    {
        dataOffset = 0;
        SkipWhitespace();
        ReadOnlySpan<byte> keyword = "stream"u8;
        for (var i = 0; i < keyword.Length; i++)
        {
            if (!Has(i) || _buffer[Position + i] != keyword[i])
            {
                return false;
            }
        }

        Position += keyword.Length;
        if (Peek() == '\r')
        {
            Position++;
            if (Peek() == '\n')
            {
                Position++;
            }
        }
        else if (Peek() == '\n')
        {
            Position++;
        }

        dataOffset = BaseOffset + Position;
        return true;
    }

    private PdfObject ReadObject(int depth)
    {
        if (depth > MaxDepth)
        {
            throw PdfFormatException.Bad("objects nested too deeply");
        }

        SkipWhitespace();
        var b = Peek();
        switch (b)
        {
            case (byte)'/':
                return ReadName();
            case (byte)'(':
                return ReadLiteralString();
            case (byte)'[':
                Position++;
                var array = new PdfArray();
                while (true)
                {
                    SkipWhitespace();
                    if (Peek() == ']')
                    {
                        Position++;
                        return array;
                    }

                    array.Items.Add(ReadObject(depth + 1));
                }

            case (byte)'<':
                if (Peek(1) == '<')
                {
                    return ReadDictionary(depth);
                }

                return ReadHexString();
            default:
                if (b is >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'-' or (byte)'.')
                {
                    return ReadNumberOrReference();
                }

                var at = BaseOffset + Position;
                var token = ReadToken();
                return token switch
                {
                    "true" => new PdfBoolean(true),
                    "false" => new PdfBoolean(false),
                    "null" => PdfNull.Instance,
                    _ => throw PdfFormatException.Bad($"unexpected token '{Truncate(token)}' at offset {at}"),
                };
        }
    }

    public PdfDictionary ReadDictionary(int depth = 0)
    {
        SkipWhitespace();
        if (Peek() != '<' || Peek(1) != '<')
        {
            throw PdfFormatException.Bad($"expected a dictionary at offset {BaseOffset + Position}");
        }

        Position += 2;
        var dict = new PdfDictionary();
        while (true)
        {
            SkipWhitespace();
            if (Peek() == '>')
            {
                if (Peek(1) != '>')
                {
                    throw PdfFormatException.Bad($"bad dictionary end at offset {BaseOffset + Position}");
                }

                Position += 2;
                return dict;
            }

            if (Peek() != '/')
            {
                throw PdfFormatException.Bad($"expected a name key at offset {BaseOffset + Position}");
            }

            var key = ReadName().Value;
            var value = ReadObject(depth + 1);
            // A null value means the key is absent (ISO 32000-1 7.3.7).
            if (value is not PdfNull)
            {
                dict[key] = value;
            }
        }
    }

    private PdfName ReadName()
    {
        Position++; // '/'
        var bytes = new List<byte>();
        while (Has())
        {
            var b = _buffer[Position];
            if (IsWhitespace(b) || IsDelimiter(b))
            {
                break;
            }

            if (b == '#' && Has(2) && IsHex(Peek(1)) && IsHex(Peek(2)))
            {
                bytes.Add((byte)((HexValue(Peek(1)) << 4) | HexValue(Peek(2))));
                Position += 3;
            }
            else
            {
                bytes.Add(b);
                Position++;
            }

            if (bytes.Count > 127)
            {
                throw PdfFormatException.Bad("name too long");
            }
        }

        return new PdfName(Encoding.UTF8.GetString(bytes.ToArray()));
    }

    private PdfObject ReadNumberOrReference()
    {
        var at = BaseOffset + Position;
        var token = ReadToken();
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            // "N G R" is a reference; look ahead without consuming otherwise.
            var save = Position;
            if (n >= 0 && TryReadGenerationAndR(out var gen))
            {
                return new PdfReference((int)Math.Min(n, int.MaxValue), gen);
            }

            Position = save;
            return new PdfNumber(n);
        }

        if (double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var d))
        {
            return new PdfNumber(d);
        }

        throw PdfFormatException.Bad($"bad number '{Truncate(token)}' at offset {at}");
    }

    private bool TryReadGenerationAndR(out int generation)
    {
        generation = 0;
        SkipWhitespace();
        if (!Has() || _buffer[Position] is < (byte)'0' or > (byte)'9')
        {
            return false;
        }

        var genToken = ReadToken();
        if (!int.TryParse(genToken, NumberStyles.None, CultureInfo.InvariantCulture, out generation))
        {
            return false;
        }

        SkipWhitespace();
        if (!Has() || _buffer[Position] != 'R')
        {
            return false;
        }

        // 'R' must be a whole token.
        if (Has(1) && !IsWhitespace(_buffer[Position + 1]) && !IsDelimiter(_buffer[Position + 1]))
        {
            return false;
        }

        Position++;
        return true;
    }

    private static string Truncate(string s) => s.Length > 32 ? s[..32] + "..." : s;
}

/// <summary>The parse ran off the end of the bytes read so far.</summary>
internal sealed class NeedMoreDataException : Exception;
