namespace SealService.Pdf.Parsing;

/// <summary>
/// The document as of each revision (pyHanko's historical resolver is the model): an object number resolves to the
/// newest entry at or before the revision asked for. The flat newest-wins table of the reader is the last revision's view.
/// </summary>
public sealed partial class PdfFileReader
{
    private const int MaxRevisionTail = 1 << 20;

    private readonly Dictionary<long, PdfObject> _byOffset = [];
    private readonly Dictionary<long, ObjectStreamContent> _objectStreamsByOffset = [];
    private long[]? _boundaries;
    private bool _revisionsFinished;

    /// <summary>Every revision, oldest (the original file) first.</summary>
    public IReadOnlyList<PdfRevision> Revisions => _revisions;

    /// <summary>The entry for this object number as of revision <paramref name="revision"/>, or null if none was ever made.</summary>
    public XrefEntry? EntryAt(int revision, int number)
    {
        for (var r = Math.Min(revision, _revisions.Count - 1); r >= 0; r--)
        {
            if (_revisions[r].Entries.TryGetValue(number, out var e))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>The object as the document stood at revision <paramref name="revision"/>; null if free or absent then.</summary>
    public PdfObject? GetObjectAt(int revision, int number)
    {
        if (EntryAt(revision, number) is not { } entry || entry.Kind == XrefEntryKind.Free)
        {
            return null;
        }

        try
        {
            return entry.Kind == XrefEntryKind.InFile ? InFileAt(number, entry) : CompressedAt(revision, number, entry);
        }
        catch (NeedMoreDataException)
        {
            throw PdfFormatException.Bad($"object {number} is larger than the parser allows");
        }
    }

    /// <summary>Follows references as of a revision (bounded hops).</summary>
    public PdfObject? ResolveAt(int revision, PdfObject? obj)
    {
        for (var hops = 0; obj is PdfReference r; hops++)
        {
            if (hops > 32)
            {
                throw PdfFormatException.Bad("reference chain too long");
            }

            obj = GetObjectAt(revision, r.Id.Number);
        }

        return obj;
    }

    public PdfDictionary? ResolveDictionaryAt(int revision, PdfObject? obj) => ResolveAt(revision, obj) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    /// <summary>Where each top-level value of the dictionary object at this offset lies in the file, and where the object ends.</summary>
    public (Dictionary<string, (long From, long To)> Values, long End) DictionaryLayout(long objectOffset)
    {
        try
        {
            return Parse(objectOffset, static (ref PdfLexer lx) => lx.ReadDictionaryLayout(), ObjectWindow(objectOffset));
        }
        catch (NeedMoreDataException)
        {
            throw PdfFormatException.Bad($"object at offset {objectOffset} is larger than the parser allows");
        }
    }

    /// <summary>The raw (undecoded) data of a stream, bounded; for comparing two versions of a stream byte for byte.</summary>
    public byte[] RawStreamData(PdfStream stream, int revision, int maxBytes)
    {
        var length = ResolveAt(revision, stream.Dictionary["Length"]) is PdfNumber n ? n.LongValue : -1;
        if (length < 0 || length > Length - stream.DataOffset || length > maxBytes)
        {
            throw PdfFormatException.Bad($"stream at offset {stream.DataOffset} has a bad or too large /Length");
        }

        return ReadBytes(stream.DataOffset, (int)length);
    }

    private PdfObject InFileAt(int number, XrefEntry entry)
    {
        if (_byOffset.TryGetValue(entry.Offset, out var cached))
        {
            return cached;
        }

        var value = ReadInFile(number, entry);
        _byOffset[entry.Offset] = value;
        return value;
    }

    private PdfObject CompressedAt(int revision, int number, XrefEntry entry)
    {
        if (EntryAt(revision, entry.StreamNumber) is not { Kind: XrefEntryKind.InFile } se)
        {
            throw PdfFormatException.Bad($"object {number} points at {entry.StreamNumber}, which is no object stream in the file");
        }

        if (!_objectStreamsByOffset.TryGetValue(se.Offset, out var content))
        {
            if (InFileAt(entry.StreamNumber, se) is not PdfStream { Dictionary: var d } stream || d["Type"] is not PdfName { Value: "ObjStm" })
            {
                throw PdfFormatException.Bad($"object {number} points at {entry.StreamNumber}, which is no object stream");
            }

            content = LoadObjectStream(stream);
            _objectStreamsByOffset[se.Offset] = content;
        }

        return ObjectFromStream(number, entry, content);
    }

    /// <summary>
    /// How much to read for the object at <paramref name="offset"/>: up to where the next object or section starts (so
    /// a signature dictionary with its long /Contents parses in one read, not after growing retries), 4..64 KiB.
    /// </summary>
    private int ObjectWindow(long offset)
    {
        if (_boundaries is not { } bounds)
        {
            if (!_revisionsFinished)
            {
                return MinObjectWindow;
            }

            var all = new SortedSet<long> { Length };
            foreach (var revision in _revisions)
            {
                all.Add(revision.XrefOffset);
                foreach (var entry in revision.Entries.Values)
                {
                    if (entry.Kind == XrefEntryKind.InFile)
                    {
                        all.Add(entry.Offset);
                    }
                }
            }

            _boundaries = bounds = [.. all];
        }

        var at = Array.BinarySearch(bounds, offset + 1);
        var next = bounds[Math.Min(at < 0 ? ~at : at, bounds.Length - 1)];
        return (int)Math.Clamp(next - offset, MinObjectWindow, MaxFirstObjectWindow);
    }

    /// <summary>Revisions oldest first, numbered, each with the end of its <c>%%EOF</c> line.</summary>
    private void FinishRevisions()
    {
        _revisions.Reverse();
        var mainSection = MergeLinearization();
        for (var i = 0; i < _revisions.Count; i++)
        {
            _revisions[i].Index = i;
            _revisions[i].EndOffset = FindRevisionEnd(i == 0 && mainSection is { } main ? main : _revisions[i].XrefOffset, _revisions[i].XrefOffset);
        }

        _revisionsFinished = true;
    }

    /// <summary>
    /// A linearized file's original revision has two sections: the first-page one near the start (which startxref
    /// names) and the main one at the end (its /Prev). They are one revision, ending at the %%EOF after the main
    /// section; returns that section's offset when merged. Only the two oldest sections qualify, and only when the file
    /// starts with a /Linearized dictionary: a later update placed earlier in the file stays a revision of unclear end.
    /// </summary>
    private long? MergeLinearization()
    {
        if (_revisions.Count < 2 || _revisions[1].XrefOffset >= _revisions[0].XrefOffset
            || ReadBytes(0, (int)Math.Min(1024, Length)).AsSpan().IndexOf("/Linearized"u8) < 0)
        {
            return null;
        }

        var (main, firstPage) = (_revisions[0], _revisions[1]);
        var entries = new Dictionary<int, XrefEntry>(main.Entries);
        foreach (var (number, entry) in firstPage.Entries)
        {
            entries[number] = entry;
        }

        _revisions[1] = new PdfRevision(firstPage.XrefOffset, firstPage.Kind, firstPage.Trailer, entries, main.IsHybrid || firstPage.IsHybrid);
        _revisions.RemoveAt(0);
        return main.XrefOffset;
    }

    /// <summary>After <paramref name="from"/>: <c>startxref</c>, the section's offset, <c>%%EOF</c> and an optional end of line.</summary>
    private long FindRevisionEnd(long from, long xrefOffset)
    {
        var count = (int)Math.Min(MaxRevisionTail, Length - from);
        var window = ReadBytes(from, count);
        var at = window.AsSpan().IndexOf("startxref"u8);
        if (at < 0)
        {
            return -1;
        }

        var p = at + 9;
        p = SkipSpace(window, p);
        long value = 0;
        var digits = 0;
        while (p < window.Length && window[p] is >= (byte)'0' and <= (byte)'9' && digits < 19)
        {
            value = (value * 10) + (window[p++] - '0');
            digits++;
        }

        p = SkipSpace(window, p);
        if (digits == 0 || value != xrefOffset || !window.AsSpan(p).StartsWith("%%EOF"u8))
        {
            return -1;
        }

        p += 5;
        if (p < window.Length && window[p] == '\r')
        {
            p++;
        }

        if (p < window.Length && window[p] == '\n')
        {
            p++;
        }

        return from + p;
    }

    private static int SkipSpace(byte[] window, int p)
    {
        while (p < window.Length && PdfLexer.IsWhitespace(window[p]))
        {
            p++;
        }

        return p;
    }
}
