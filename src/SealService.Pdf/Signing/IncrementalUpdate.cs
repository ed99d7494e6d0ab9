using System.Globalization;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>
/// Collects new and replaced objects and lays them out as one incremental update (ISO 32000-1 7.5.6):
/// objects, then a cross-reference section of the same kind as the file's newest one, /Prev chained.
/// </summary>
internal sealed class IncrementalUpdate(PdfFileReader reader)
{
    private readonly SortedDictionary<int, (PdfObjectId Id, PdfObject Value)> _objects = [];
    private int _nextNumber = reader.Size;

    public PdfObjectId Allocate() => new(_nextNumber++, 0);

    public PdfReference Add(PdfObject value)
    {
        var id = Allocate();
        _objects[id.Number] = (id, value);
        return new PdfReference(id);
    }

    public void Set(PdfObjectId id, PdfObject value) => _objects[id.Number] = (id, value);

    /// <summary>The dictionary this update already writes as object <paramref name="number"/>, if any (to amend, not lose it).</summary>
    public PdfDictionary? Pending(int number) => _objects.TryGetValue(number, out var entry) ? entry.Value as PdfDictionary : null;

    public void Replace(int number, PdfObject value) =>
        _objects[number] = (new PdfObjectId(number, reader.GenerationOf(number)), value);

    /// <summary>Writes the update; <paramref name="originalLength"/> is where it starts in the output.</summary>
    public (byte[] Bytes, IReadOnlyDictionary<string, long> Placeholders) Build(long originalLength, bool originalEndsWithEol)
    {
        using var buffer = new MemoryStream();
        var writer = new PdfObjectWriter(buffer);
        if (!originalEndsWithEol)
        {
            writer.WriteRaw("\n");
        }

        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        foreach (var (number, (id, value)) in _objects)
        {
            offsets[number] = (originalLength + writer.Position, id.Generation);
            writer.WriteIndirect(id, value);
        }

        var trailer = reader.Trailer.Clone();
        foreach (var key in new[] { "Prev", "XRefStm", "Type", "W", "Index", "Length", "Filter", "DecodeParms" })
        {
            trailer[key] = null;
        }

        trailer["Prev"] = new PdfNumber(reader.StartXref);
        var xrefOffset = originalLength + writer.Position;
        if (reader.LastXrefKind == XrefKind.Table)
        {
            trailer["Size"] = new PdfNumber(Math.Max(reader.Size, _nextNumber));
            WriteTable(writer, offsets);
            writer.WriteRaw("trailer\n");
            writer.Write(trailer);
            writer.WriteRaw("\n");
        }
        else
        {
            var id = Allocate();
            offsets[id.Number] = (xrefOffset, 0);
            trailer["Size"] = new PdfNumber(Math.Max(reader.Size, _nextNumber));
            writer.WriteIndirect(id, XrefStream(trailer, offsets));
        }

        writer.WriteRaw($"startxref\n{xrefOffset.ToString(CultureInfo.InvariantCulture)}\n%%EOF\n");
        return (buffer.ToArray(), writer.PlaceholderOffsets);
    }

    private static IEnumerable<(int Start, List<(long Offset, int Generation)> Entries)> Subsections(
        SortedDictionary<int, (long Offset, int Generation)> offsets)
    {
        var start = -1;
        var entries = new List<(long, int)>();
        foreach (var (number, entry) in offsets)
        {
            if (start >= 0 && number != start + entries.Count)
            {
                yield return (start, entries);
                entries = [];
                start = -1;
            }

            if (start < 0)
            {
                start = number;
            }

            entries.Add(entry);
        }

        if (start >= 0)
        {
            yield return (start, entries);
        }
    }

    private static void WriteTable(PdfObjectWriter writer, SortedDictionary<int, (long Offset, int Generation)> offsets)
    {
        writer.WriteRaw("xref\n");
        foreach (var (start, entries) in Subsections(offsets))
        {
            writer.WriteRaw(string.Create(CultureInfo.InvariantCulture, $"{start} {entries.Count}\n"));
            foreach (var (offset, gen) in entries)
            {
                // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, 2-byte EOL.
                writer.WriteRaw(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} {gen:D5} n \n"));
            }
        }
    }

    private static PdfDataStream XrefStream(PdfDictionary trailer, SortedDictionary<int, (long Offset, int Generation)> offsets)
    {
        var maxOffset = offsets.Values.Max(e => e.Offset);
        var offsetWidth = 1;
        while (offsetWidth < 8 && maxOffset >> (8 * offsetWidth) != 0)
        {
            offsetWidth++;
        }

        var index = new PdfArray();
        var data = new MemoryStream();
        foreach (var (start, entries) in Subsections(offsets))
        {
            index.Items.Add(new PdfNumber(start));
            index.Items.Add(new PdfNumber(entries.Count));
            foreach (var (offset, gen) in entries)
            {
                data.WriteByte(1);
                for (var i = offsetWidth - 1; i >= 0; i--)
                {
                    data.WriteByte((byte)(offset >> (8 * i)));
                }

                data.WriteByte((byte)(gen >> 8));
                data.WriteByte((byte)gen);
            }
        }

        var dict = new PdfDictionary
        {
            ["Type"] = new PdfName("XRef"),
        };
        foreach (var (key, value) in trailer.Entries)
        {
            dict[key] = value;
        }

        dict["W"] = new PdfArray([new PdfNumber(1), new PdfNumber(offsetWidth), new PdfNumber(2)]);
        dict["Index"] = index;
        return new PdfDataStream(dict, data.ToArray());
    }
}
