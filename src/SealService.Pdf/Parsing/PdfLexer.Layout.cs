namespace SealService.Pdf.Parsing;

/// <summary>Where values lie in the file, for the verifier's framing checks (a signature's /Contents and /ByteRange).</summary>
internal ref partial struct PdfLexer
{
    /// <summary>
    /// Reads <c>n g obj &lt;&lt; … &gt;&gt; endobj</c> and returns the file offsets where each top-level key's value
    /// starts and ends, and where the object ends (after <c>endobj</c>). For checking what a signature frames.
    /// </summary>
    public (Dictionary<string, (long From, long To)> Values, long End) ReadDictionaryLayout()
    {
        ReadInteger();
        ReadInteger();
        Expect("obj");
        SkipWhitespace();
        if (Peek() != '<' || Peek(1) != '<')
        {
            throw PdfFormatException.Bad($"expected a dictionary at offset {BaseOffset + Position}");
        }

        Position += 2;
        var values = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (Peek() == '>' && Peek(1) == '>')
            {
                Position += 2;
                break;
            }

            if (Peek() != '/')
            {
                throw PdfFormatException.Bad($"expected a name key at offset {BaseOffset + Position}");
            }

            var key = ReadName().Value;
            SkipWhitespace();
            var from = BaseOffset + Position;
            ReadObject(1);
            if (!values.TryAdd(key, (from, BaseOffset + Position)))
            {
                throw PdfFormatException.Bad($"key /{key} appears twice in the dictionary at offset {BaseOffset}");
            }
        }

        Expect("endobj");
        return (values, BaseOffset + Position);
    }
}
