namespace SealService.Pdf.Parsing;

public sealed partial class PdfFileReader
{
    private const int MaxObjectsPerStream = 100_000;

    /// <summary>The object with this number (newest revision), or null if it is free or missing.</summary>
    public PdfObject? GetObject(int number)
    {
        if (!_xref.TryGetValue(number, out var entry) || entry.Kind == XrefEntryKind.Free)
        {
            return null;
        }

        var id = new PdfObjectId(number, entry.Kind == XrefEntryKind.Compressed ? 0 : entry.Generation);
        if (_cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        PdfObject value;
        try
        {
            value = entry.Kind == XrefEntryKind.InFile ? ReadInFile(number, entry) : ReadCompressed(number, entry);
        }
        catch (NeedMoreDataException)
        {
            throw PdfFormatException.Bad($"object {number} is larger than the parser allows");
        }

        _cache[id] = value;
        return value;
    }

    /// <summary>Follows a reference (once per hop, up to a limit); direct objects come back as they are.</summary>
    public PdfObject? Resolve(PdfObject? obj)
    {
        for (var hops = 0; obj is PdfReference r; hops++)
        {
            if (hops > 32)
            {
                throw PdfFormatException.Bad("reference chain too long");
            }

            obj = GetObject(r.Id.Number);
        }

        return obj;
    }

    public PdfDictionary? ResolveDictionary(PdfObject? obj) => Resolve(obj) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    /// <summary>Generation the newest revision uses for this object number (0 for compressed ones).</summary>
    public int GenerationOf(int number) =>
        _xref.TryGetValue(number, out var e) && e.Kind == XrefEntryKind.InFile ? e.Generation : 0;

    /// <summary>Reads and decodes a (small) stream's data: Flate with predictors, or unfiltered.</summary>
    public byte[] DecodeStream(PdfStream stream)
    {
        var length = Resolve(stream.Dictionary["Length"]) is PdfNumber n ? n.LongValue : -1;
        if (length < 0 || stream.DataOffset + length > Length || length > MaxDecodedStream)
        {
            throw PdfFormatException.Bad($"stream at offset {stream.DataOffset} has a bad /Length");
        }

        var raw = ReadBytes(stream.DataOffset, (int)length);
        return StreamDecoder.Decode(raw, stream.Dictionary, Resolve, MaxDecodedStream);
    }

    private PdfObject ReadInFile(int number, XrefEntry entry)
    {
        if (entry.Offset <= 0 || entry.Offset >= Length)
        {
            throw PdfFormatException.Bad($"object {number} offset {entry.Offset} is outside the file");
        }

        var (id, value) = ParseIndirectObject(entry.Offset);
        if (id.Number != number)
        {
            throw PdfFormatException.Bad($"xref says object {number} is at offset {entry.Offset}, found object {id.Number}");
        }

        return value;
    }

    private PdfObject ReadCompressed(int number, XrefEntry entry)
    {
        if (!_objectStreams.TryGetValue(entry.StreamNumber, out var content))
        {
            if (_xref.TryGetValue(entry.StreamNumber, out var se) && se.Kind != XrefEntryKind.InFile)
            {
                throw PdfFormatException.Bad($"object stream {entry.StreamNumber} is itself compressed");
            }

            if (GetObject(entry.StreamNumber) is not PdfStream { Dictionary: var d } stream
                || d["Type"] is not PdfName { Value: "ObjStm" })
            {
                throw PdfFormatException.Bad($"object {number} points at {entry.StreamNumber}, which is no object stream");
            }

            content = LoadObjectStream(stream);
            _objectStreams[entry.StreamNumber] = content;
        }

        return ObjectFromStream(number, entry, content);
    }

    private static PdfObject ObjectFromStream(int number, XrefEntry entry, ObjectStreamContent content)
    {
        var (offsets, numbers) = (content.Offsets, content.Numbers);
        if (entry.IndexInStream < 0 || entry.IndexInStream >= offsets.Length || numbers[entry.IndexInStream] != number)
        {
            throw PdfFormatException.Bad($"object {number} is not at its index in object stream {entry.StreamNumber}");
        }

        var start = content.First + offsets[entry.IndexInStream];
        if (start < 0 || start > content.Data.Length)
        {
            throw PdfFormatException.Bad($"object stream {entry.StreamNumber} has a bad offset");
        }

        var lexer = new PdfLexer(content.Data.AsSpan(start), 0, windowIsWholeSource: true);
        return lexer.ReadObject();
    }

    private ObjectStreamContent LoadObjectStream(PdfStream stream)
    {
        var n = Resolve(stream.Dictionary["N"]) is PdfNumber nn ? nn.LongValue : -1;
        var first = Resolve(stream.Dictionary["First"]) is PdfNumber f ? f.LongValue : -1;
        if (n is < 0 or > MaxObjectsPerStream || first < 0)
        {
            throw PdfFormatException.Bad("object stream without valid /N and /First");
        }

        var data = DecodeStream(stream);
        if (first > data.Length)
        {
            throw PdfFormatException.Bad("object stream /First beyond its data");
        }

        var lexer = new PdfLexer(data.AsSpan(0, (int)first), 0, windowIsWholeSource: true);
        var numbers = new int[n];
        var offsets = new int[n];
        for (var i = 0; i < n; i++)
        {
            numbers[i] = (int)lexer.ReadInteger();
            offsets[i] = (int)lexer.ReadInteger();
        }

        return new ObjectStreamContent(data, (int)first, numbers, offsets);
    }

    private sealed record ObjectStreamContent(byte[] Data, int First, int[] Numbers, int[] Offsets);
}
