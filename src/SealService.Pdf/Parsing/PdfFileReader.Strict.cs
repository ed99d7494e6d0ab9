namespace SealService.Pdf.Parsing;

public sealed partial class PdfFileReader
{
    private const int ScanBuffer = 1 << 20;

    /// <summary>
    /// Refuses a file whose structure is impossible or ambiguous, before anyone signs it (readers would "repair" such a
    /// file and may show other content than the bytes a signature covers). Every cross-reference entry of every revision
    /// must point at its own object header; every object of the newest revision must parse within the nesting limit; every
    /// stream's /Length must end inside the file, right before <c>endstream</c>; and no object number may be defined twice
    /// within one revision. Throws <see cref="PdfFormatException"/> (PDF_INVALID). Reads the file once, in 1 MiB windows.
    /// </summary>
    public void CheckStrict()
    {
        try
        {
            // Entries that later revisions replaced: only where they point is checked.
            foreach (var (number, entry) in _sectionEntries)
            {
                if (_xref[number] != entry)
                {
                    var (found, generation) = Parse(InFileOffset(number, entry), (ref PdfLexer lx) =>
                    {
                        var n = lx.ReadInteger();
                        var g = lx.ReadInteger();
                        lx.Expect("obj");
                        return (n, g);
                    });
                    RequireHeader(number, entry, found, generation);
                }
            }

            var streams = new List<(long From, long To)>();
            foreach (var (number, entry) in _xref)
            {
                switch (entry.Kind)
                {
                    case XrefEntryKind.InFile:
                        // Uncached, so that a large file is not kept in memory.
                        var (id, value) = ParseIndirectObject(InFileOffset(number, entry));
                        RequireHeader(number, entry, id.Number, id.Generation);
                        if (value is PdfStream stream)
                        {
                            streams.Add(CheckStreamExtent(number, stream));
                        }

                        break;
                    case XrefEntryKind.Compressed:
                        _ = GetObject(number);
                        break;
                }
            }

            CheckNoDoubleDefinitions(streams);
        }
        catch (NeedMoreDataException)
        {
            throw PdfFormatException.Bad("an object is larger than the parser allows");
        }
    }

    private long InFileOffset(int number, XrefEntry entry) => entry.Offset > 0 && entry.Offset < Length
        ? entry.Offset
        : throw PdfFormatException.Bad($"cross-reference entry of object {number} points outside the file ({entry.Offset})");

    private static void RequireHeader(int number, XrefEntry entry, long found, long generation)
    {
        if (found != number || generation != entry.Generation)
        {
            throw PdfFormatException.Bad(
                $"cross-reference entry of object {number} {entry.Generation} points at object {found} {generation} (offset {entry.Offset})");
        }
    }

    private (long From, long To) CheckStreamExtent(int number, PdfStream stream)
    {
        var length = Resolve(stream.Dictionary["Length"]) is PdfNumber n ? n.LongValue : -1;
        if (length < 0 || length > Length - stream.DataOffset)
        {
            throw PdfFormatException.Bad($"stream object {number} has /Length {length}, beyond the end of the file");
        }

        var end = stream.DataOffset + length;
        var tail = ReadBytes(end, (int)Math.Min(32, Length - end));
        var at = 0;
        while (at < tail.Length && tail[at] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
        {
            at++;
        }

        if (!tail.AsSpan(at).StartsWith("endstream"u8))
        {
            throw PdfFormatException.Bad($"stream object {number}: /Length {length} does not end at 'endstream'");
        }

        return (stream.DataOffset, end);
    }

    /// <summary>
    /// Scans the bytes outside stream data for object headers "N G obj". Revisions are the spans between consecutive
    /// cross-reference sections; the same N twice in one span is ambiguous (which one a reader takes is up to the reader).
    /// </summary>
    private void CheckNoDoubleDefinitions(List<(long From, long To)> streams)
    {
        streams.Sort();
        var boundaries = _sectionOffsets.Order().ToArray();
        var seen = new HashSet<(int Span, int Number)>();
        // Pooled and no larger than the file: a fresh 1 MiB array per upload lands on the large-object heap and costs a
        // background gen-2 collection every few stamps (docs/performance.md, the 2026-12-04 profile).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ScanBuffer, Length));
        try
        {
            ScanWindows(buffer, streams, boundaries, seen);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ScanWindows(byte[] buffer, List<(long From, long To)> streams, long[] boundaries, HashSet<(int Span, int Number)> seen)
    {
        const int overlap = 64; // a header "8388607 65535 obj" with generous white space
        var streamIndex = 0;
        // Windows overlap by two margins: each scans from one margin in, with one margin of bytes behind it to read a header.
        for (long windowStart = 0; windowStart < Length; windowStart += ScanBuffer - (2 * overlap))
        {
            var count = (int)Math.Min(ScanBuffer, Length - windowStart);
            _source.Seek(windowStart, SeekOrigin.Begin);
            _source.ReadExactly(buffer, 0, count);
            var window = buffer.AsSpan(0, count);
            var at = windowStart == 0 ? 0 : overlap;
            while (at < count && window[at..].IndexOf("obj"u8) is var rel and >= 0)
            {
                at += rel;
                if (windowStart + count < Length && at >= count - overlap)
                {
                    break; // the next window sees this one whole
                }

                var absolute = windowStart + at;
                while (streamIndex < streams.Count && streams[streamIndex].To <= absolute)
                {
                    streamIndex++;
                }

                var insideStream = streamIndex < streams.Count && streams[streamIndex].From <= absolute;
                if (!insideStream && HeaderNumber(window, at) is { } number)
                {
                    var span = Array.BinarySearch(boundaries, absolute);
                    span = span < 0 ? ~span : span;
                    if (!seen.Add((span, number)))
                    {
                        throw PdfFormatException.Bad($"object {number} is defined twice in one revision (again at offset {absolute})");
                    }
                }

                at += 3;
            }
        }
    }

    /// <summary>N when "N G obj" ends at <paramref name="at"/> (the "obj" keyword, followed by a delimiter), else null.</summary>
    private static int? HeaderNumber(ReadOnlySpan<byte> window, int at)
    {
        if (at + 3 < window.Length && !IsDelimiterOrSpace(window[at + 3]))
        {
            return null;
        }

        var p = at - 1;
        if (p < 0 || !IsSpace(window[p]))
        {
            return null;
        }

        while (p >= 0 && IsSpace(window[p]))
        {
            p--;
        }

        var genEnd = p;
        while (p >= 0 && window[p] is >= (byte)'0' and <= (byte)'9')
        {
            p--;
        }

        if (p == genEnd || p < 0 || !IsSpace(window[p]))
        {
            return null;
        }

        while (p >= 0 && IsSpace(window[p]))
        {
            p--;
        }

        var numEnd = p;
        long number = 0;
        var digits = 0;
        while (p >= 0 && window[p] is >= (byte)'0' and <= (byte)'9')
        {
            p--;
            digits++;
        }

        if (digits is 0 or > 7 || (p >= 0 && !IsDelimiterOrSpace(window[p])))
        {
            return null;
        }

        for (var k = p + 1; k <= numEnd; k++)
        {
            number = (number * 10) + (window[k] - '0');
        }

        return number <= MaxObjectNumber ? (int)number : null;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or (byte)'\f' or 0;

    private static bool IsDelimiterOrSpace(byte b) => IsSpace(b) || b is (byte)'<' or (byte)'>' or (byte)'[' or (byte)']'
        or (byte)'(' or (byte)')' or (byte)'/' or (byte)'%' or (byte)'{' or (byte)'}';
}
