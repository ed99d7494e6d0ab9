using System.Text;

namespace SealService.Pdf.Parsing;

/// <summary>
/// Random-access reader over a seekable PDF stream. It reads the trailer, the whole cross-reference
/// chain (tables, xref streams, hybrid files, /Prev) and, on demand, the objects it is asked for;
/// nothing else of the file is loaded, so a 100 MB document costs only the objects an update touches.
/// </summary>
public sealed partial class PdfFileReader
{
    private const int MaxObjectWindow = 16 << 20;
    private const int MinObjectWindow = 4096;
    private const int MaxFirstObjectWindow = 64 << 10;
    private const int MaxDecodedStream = 64 << 20;
    private const int MaxSections = 4096;
    private const int MaxObjectNumber = 8_388_607; // ISO 32000-1 implementation limit

    private readonly Stream _source;
    private readonly Dictionary<int, XrefEntry> _xref = [];
    private readonly Dictionary<PdfObjectId, PdfObject> _cache = [];
    private readonly Dictionary<int, ObjectStreamContent> _objectStreams = [];

    // For the strict check: every in-file entry of every section (not only the newest), and where the /Prev chain's
    // sections start (the boundaries between revisions).
    private readonly List<(int Number, XrefEntry Entry)> _sectionEntries = [];
    private readonly List<long> _sectionOffsets = [];

    // Revision model: every section's own entries (in use, compressed and free), newest first while loading.
    private readonly List<PdfRevision> _revisions = [];
    private Dictionary<int, XrefEntry> _currentEntries = [];

    private PdfFileReader(Stream source)
    {
        _source = source;
        Length = source.Length;
    }

    public long Length { get; }

    /// <summary>The newest trailer (for an xref stream: its dictionary).</summary>
    public PdfDictionary Trailer { get; private set; } = new();

    /// <summary>Offset named by the last startxref: the /Prev of an update.</summary>
    public long StartXref { get; private set; }

    public XrefKind LastXrefKind { get; private set; }

    /// <summary>Highest object number in use + 1, from the newest trailer's /Size.</summary>
    public int Size { get; private set; }

    public IReadOnlyDictionary<int, XrefEntry> CrossReferences => _xref;

    /// <summary>Opens and validates the structure. Throws <see cref="PdfFormatException"/>.</summary>
    public static PdfFileReader Open(Stream source)
    {
        if (!source.CanSeek || !source.CanRead)
        {
            throw new ArgumentException("the PDF stream must be readable and seekable", nameof(source));
        }

        var reader = new PdfFileReader(source);
        try
        {
            reader.Load();
        }
        catch (NeedMoreDataException)
        {
            throw PdfFormatException.Bad("object larger than the parser allows");
        }

        return reader;
    }

    private void Load()
    {
        if (Length < 32)
        {
            throw PdfFormatException.Bad("file too short to be a PDF");
        }

        var head = ReadBytes(0, (int)Math.Min(1024, Length));
        if (head.AsSpan().IndexOf("%PDF-"u8) < 0)
        {
            throw PdfFormatException.Bad("no %PDF- header");
        }

        StartXref = FindStartXref();
        var visited = new HashSet<long>();
        var offset = StartXref;
        var first = true;
        while (offset >= 0)
        {
            if (!visited.Add(offset) || visited.Count > MaxSections)
            {
                throw PdfFormatException.Bad("cross-reference /Prev chain loops");
            }

            _sectionOffsets.Add(offset);
            _currentEntries = [];
            var (trailer, kind) = ReadSection(offset);
            _revisions.Add(new PdfRevision(offset, kind, trailer, _currentEntries, trailer.ContainsKey("XRefStm")));
            if (trailer.ContainsKey("Encrypt"))
            {
                throw new PdfFormatException(PdfFormatException.Encrypted, "encrypted PDFs are not accepted");
            }

            if (first)
            {
                Trailer = trailer;
                LastXrefKind = kind;
                first = false;
            }

            offset = trailer["Prev"] is PdfNumber prev ? prev.LongValue : -1;
        }

        if (Trailer["Root"] is not PdfReference)
        {
            throw PdfFormatException.Bad("trailer has no /Root reference");
        }

        if (Trailer["Size"] is not PdfNumber { LongValue: > 0 and <= MaxObjectNumber } size)
        {
            throw PdfFormatException.Bad("trailer has no valid /Size");
        }

        Size = (int)size.LongValue;
        FinishRevisions();
    }

    private long FindStartXref()
    {
        var tailLength = (int)Math.Min(2048, Length);
        var tail = ReadBytes(Length - tailLength, tailLength);
        var at = tail.AsSpan().LastIndexOf("startxref"u8);
        if (at < 0)
        {
            throw PdfFormatException.Bad("no startxref near the end of the file");
        }

        var lexer = new PdfLexer(tail.AsSpan(at + 9), Length - tailLength + at + 9, windowIsWholeSource: true);
        var offset = lexer.ReadInteger();
        if (offset <= 0 || offset >= Length)
        {
            throw PdfFormatException.Bad($"startxref {offset} is outside the file");
        }

        return offset;
    }

    private (PdfDictionary Trailer, XrefKind Kind) ReadSection(long offset)
    {
        var head = ReadBytes(offset, (int)Math.Min(4, Length - offset));
        if (head.AsSpan().SequenceEqual("xref"u8))
        {
            return (ReadTable(offset), XrefKind.Table);
        }

        return (ReadXrefStream(offset, applyEntries: true), XrefKind.Stream);
    }

    private PdfDictionary ReadTable(long offset)
    {
        var inUse = new List<(int Number, XrefEntry Entry)>();
        var free = new List<(int Number, XrefEntry Entry)>();
        var trailer = Parse(offset, (ref PdfLexer lx) =>
        {
            inUse.Clear();
            free.Clear();
            lx.Expect("xref");
            while (true)
            {
                var token = lx.ReadToken();
                if (token == "trailer")
                {
                    return lx.ReadDictionary();
                }

                if (!long.TryParse(token, out var start) || start < 0)
                {
                    throw PdfFormatException.Bad($"bad xref subsection header at offset {offset}");
                }

                var count = lx.ReadInteger();
                if (count < 0 || start + count > MaxObjectNumber + 1)
                {
                    throw PdfFormatException.Bad("bad xref subsection size");
                }

                for (var i = 0; i < count; i++)
                {
                    var pos = lx.ReadInteger();
                    var gen = (int)lx.ReadInteger();
                    var type = lx.ReadToken();
                    var number = (int)(start + i);
                    if (type == "n")
                    {
                        inUse.Add((number, new XrefEntry(XrefEntryKind.InFile, pos, gen, 0, 0)));
                    }
                    else if (type == "f")
                    {
                        free.Add((number, new XrefEntry(XrefEntryKind.Free, 0, gen, 0, 0)));
                    }
                    else
                    {
                        throw PdfFormatException.Bad($"bad xref entry type '{type}'");
                    }
                }
            }
        });

        var seen = new HashSet<int>();
        foreach (var (n, _) in inUse.Concat(free))
        {
            if (!seen.Add(n))
            {
                throw PdfFormatException.Bad($"object {n} appears twice in the cross-reference section at offset {offset}");
            }
        }

        foreach (var (n, e) in inUse)
        {
            _xref.TryAdd(n, e);
            _sectionEntries.Add((n, e));
            _currentEntries[n] = e;
        }

        // Hybrid file: the xref stream named by /XRefStm holds the compressed objects the table lists as free.
        if (trailer["XRefStm"] is PdfNumber xrefStm)
        {
            ReadXrefStream(xrefStm.LongValue, applyEntries: true);
        }

        foreach (var (n, e) in free)
        {
            _xref.TryAdd(n, e);
            _currentEntries.TryAdd(n, e);
        }

        return trailer;
    }

    private PdfDictionary ReadXrefStream(long offset, bool applyEntries)
    {
        if (offset <= 0 || offset >= Length)
        {
            throw PdfFormatException.Bad($"cross-reference offset {offset} is outside the file");
        }

        var (_, obj) = ParseIndirectObject(offset);
        if (obj is not PdfStream { Dictionary: var dict } stream || dict["Type"] is not PdfName { Value: "XRef" })
        {
            throw PdfFormatException.Bad($"no cross-reference table or stream at offset {offset}");
        }

        if (dict.ContainsKey("Encrypt"))
        {
            throw new PdfFormatException(PdfFormatException.Encrypted, "encrypted PDFs are not accepted");
        }

        if (!applyEntries)
        {
            return dict;
        }

        var data = DecodeStream(stream);
        if (dict["W"] is not PdfArray { Count: 3 } w || dict["Size"] is not PdfNumber size)
        {
            throw PdfFormatException.Bad("xref stream without /W or /Size");
        }

        var widths = w.Items.Select(x => x is PdfNumber { LongValue: >= 0 and <= 8 } n ? (int)n.LongValue
            : throw PdfFormatException.Bad("bad xref stream /W")).ToArray();
        var rowLength = widths.Sum();
        var index = dict["Index"] as PdfArray ?? new PdfArray([new PdfNumber(0), size]);
        var pos = 0;
        var seen = new HashSet<int>();
        for (var s = 0; s + 1 < index.Count; s += 2)
        {
            var start = index[s] is PdfNumber a ? a.LongValue : throw PdfFormatException.Bad("bad xref /Index");
            var count = index[s + 1] is PdfNumber b ? b.LongValue : throw PdfFormatException.Bad("bad xref /Index");
            if (start < 0 || count < 0 || start + count > MaxObjectNumber + 1)
            {
                throw PdfFormatException.Bad("bad xref /Index range");
            }

            for (var i = 0; i < count; i++, pos += rowLength)
            {
                if (pos + rowLength > data.Length)
                {
                    throw PdfFormatException.Bad("xref stream shorter than its /Index says");
                }

                var row = data.AsSpan(pos, rowLength);
                var type = widths[0] == 0 ? 1 : Field(row[..widths[0]]);
                var f2 = Field(row.Slice(widths[0], widths[1]));
                var f3 = Field(row.Slice(widths[0] + widths[1], widths[2]));
                var number = (int)(start + i);
                if (!seen.Add(number))
                {
                    throw PdfFormatException.Bad($"object {number} appears twice in the cross-reference stream at offset {offset}");
                }

                var entry = type switch
                {
                    0 => new XrefEntry(XrefEntryKind.Free, 0, (int)f3, 0, 0),
                    1 => new XrefEntry(XrefEntryKind.InFile, f2, (int)f3, 0, 0),
                    2 => new XrefEntry(XrefEntryKind.Compressed, 0, 0, (int)f2, (int)f3),
                    _ => (XrefEntry?)null, // unknown types are ignored (ISO 32000-1 7.5.8.3)
                };
                if (entry is { } e)
                {
                    _xref.TryAdd(number, e);
                    if (e.Kind != XrefEntryKind.Free || !_currentEntries.ContainsKey(number))
                    {
                        _currentEntries[number] = e;
                    }

                    if (e.Kind == XrefEntryKind.InFile)
                    {
                        _sectionEntries.Add((number, e));
                    }
                }
            }
        }

        return dict;
    }

    private static long Field(ReadOnlySpan<byte> bytes)
    {
        long v = 0;
        foreach (var b in bytes)
        {
            v = (v << 8) | b;
        }

        return v;
    }

    internal byte[] ReadBytes(long offset, int count)
    {
        var buffer = new byte[count];
        _source.Seek(offset, SeekOrigin.Begin);
        _source.ReadExactly(buffer);
        return buffer;
    }

    internal delegate T LexerFunc<out T>(ref PdfLexer lexer);

    /// <summary>Parses at a file offset, growing the window read from the file until the parse fits.</summary>
    internal T Parse<T>(long offset, LexerFunc<T> parse, int window = MinObjectWindow)
    {
        while (true)
        {
            var count = (int)Math.Min(window, Length - offset);
            var whole = offset + count >= Length;
            var bytes = ReadBytes(offset, count);
            var lexer = new PdfLexer(bytes, offset, whole);
            try
            {
                return parse(ref lexer);
            }
            catch (NeedMoreDataException) when (!whole && window < MaxObjectWindow)
            {
                window *= 4;
            }
        }
    }

    private (PdfObjectId Id, PdfObject Value) ParseIndirectObject(long offset) => Parse(offset, static (ref PdfLexer lx) =>
    {
        var number = lx.ReadInteger();
        var generation = lx.ReadInteger();
        lx.Expect("obj");
        var value = lx.ReadObject();
        if (value is PdfDictionary dict && lx.TryReadStreamKeyword(out var dataOffset))
        {
            value = new PdfStream(dict, dataOffset);
        }

        return (new PdfObjectId((int)number, (int)generation), value);
    }, ObjectWindow(offset));

    internal static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
