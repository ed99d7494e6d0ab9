namespace SealService.Pdf.Parsing;

/// <summary>String objects: hexadecimal (<c>&lt;…&gt;</c>) and literal (<c>(…)</c>, escapes and balanced parentheses).</summary>
internal ref partial struct PdfLexer
{
    private PdfString ReadHexString()
    {
        Position++; // '<'
        var bytes = new List<byte>();
        var high = -1;
        while (true)
        {
            var b = Peek();
            Position++;
            if (b == '>')
            {
                break;
            }

            if (IsWhitespace(b))
            {
                continue;
            }

            if (!IsHex(b))
            {
                throw PdfFormatException.Bad($"bad hex string at offset {BaseOffset + Position - 1}");
            }

            if (high < 0)
            {
                high = HexValue(b);
            }
            else
            {
                bytes.Add((byte)((high << 4) | HexValue(b)));
                high = -1;
            }
        }

        if (high >= 0)
        {
            bytes.Add((byte)(high << 4));
        }

        return new PdfString(bytes.ToArray(), isHex: true);
    }

    private PdfString ReadLiteralString()
    {
        Position++; // '('
        var bytes = new List<byte>();
        var nesting = 1;
        while (true)
        {
            var b = Peek();
            Position++;
            if (b == '\\')
            {
                var e = Peek();
                Position++;
                switch (e)
                {
                    case (byte)'n': bytes.Add((byte)'\n'); break;
                    case (byte)'r': bytes.Add((byte)'\r'); break;
                    case (byte)'t': bytes.Add((byte)'\t'); break;
                    case (byte)'b': bytes.Add((byte)'\b'); break;
                    case (byte)'f': bytes.Add((byte)'\f'); break;
                    case (byte)'\r':
                        if (Peek() == '\n')
                        {
                            Position++;
                        }

                        break;
                    case (byte)'\n': break;
                    case >= (byte)'0' and <= (byte)'7':
                        var v = e - '0';
                        for (var i = 0; i < 2 && Peek() is >= (byte)'0' and <= (byte)'7'; i++)
                        {
                            v = (v * 8) + (Peek() - '0');
                            Position++;
                        }

                        bytes.Add((byte)v);
                        break;
                    default: bytes.Add(e); break;
                }
            }
            else if (b == '(')
            {
                nesting++;
                bytes.Add(b);
            }
            else if (b == ')')
            {
                if (--nesting == 0)
                {
                    break;
                }

                bytes.Add(b);
            }
            else
            {
                bytes.Add(b);
            }
        }

        return new PdfString(bytes.ToArray());
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
