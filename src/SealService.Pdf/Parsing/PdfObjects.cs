using System.Globalization;
using System.Text;

namespace SealService.Pdf.Parsing;

/// <summary>A PDF object as read from a file or built for an incremental update.</summary>
public abstract class PdfObject
{
}

public sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();

    private PdfNull()
    {
    }
}

public sealed class PdfBoolean(bool value) : PdfObject
{
    public bool Value { get; } = value;
}

/// <summary>Integer or real; reals keep their value as a double.</summary>
public sealed class PdfNumber : PdfObject
{
    public PdfNumber(long value)
    {
        IsInteger = true;
        LongValue = value;
        Value = value;
    }

    public PdfNumber(double value)
    {
        Value = value;
        LongValue = (long)value;
    }

    public bool IsInteger { get; }

    public long LongValue { get; }

    public double Value { get; }

    public override string ToString() => IsInteger
        ? LongValue.ToString(CultureInfo.InvariantCulture)
        : Value.ToString("0.####", CultureInfo.InvariantCulture);
}

public sealed class PdfName(string value) : PdfObject
{
    public string Value { get; } = value;

    public override bool Equals(object? obj) => obj is PdfName n && n.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => "/" + Value;
}

/// <summary>A literal or hex string; <see cref="Bytes"/> are the decoded bytes.</summary>
public sealed class PdfString(byte[] bytes, bool isHex = false) : PdfObject
{
    public byte[] Bytes { get; } = bytes;

    public bool IsHex { get; } = isHex;

    /// <summary>Text value: UTF-16BE with BOM, else PDFDocEncoding read as Latin-1.</summary>
    public string Text => Bytes.Length >= 2 && Bytes[0] == 0xFE && Bytes[1] == 0xFF
        ? Encoding.BigEndianUnicode.GetString(Bytes, 2, Bytes.Length - 2)
        : Encoding.Latin1.GetString(Bytes);
}

public sealed class PdfArray : PdfObject
{
    public PdfArray()
    {
    }

    public PdfArray(IEnumerable<PdfObject> items) => Items.AddRange(items);

    public List<PdfObject> Items { get; } = [];

    public int Count => Items.Count;

    public PdfObject this[int index] => Items[index];
}

public sealed class PdfDictionary : PdfObject
{
    // Keeps insertion order so that rewritten dictionaries look like their originals.
    private readonly List<KeyValuePair<string, PdfObject>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, PdfObject>> Entries => _entries;

    public PdfObject? this[string key]
    {
        get
        {
            foreach (var e in _entries)
            {
                if (e.Key == key)
                {
                    return e.Value;
                }
            }

            return null;
        }
        set
        {
            var i = _entries.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (i >= 0)
                {
                    _entries.RemoveAt(i);
                }
            }
            else if (i >= 0)
            {
                _entries[i] = new(key, value);
            }
            else
            {
                _entries.Add(new(key, value));
            }
        }
    }

    public bool ContainsKey(string key) => this[key] is not null;

    /// <summary>Shallow copy: a new dictionary with the same entries.</summary>
    public PdfDictionary Clone()
    {
        var copy = new PdfDictionary();
        copy._entries.AddRange(_entries);
        return copy;
    }
}

public readonly record struct PdfObjectId(int Number, int Generation)
{
    public override string ToString() => $"{Number} {Generation} R";
}

public sealed class PdfReference(PdfObjectId id) : PdfObject
{
    public PdfReference(int number, int generation)
        : this(new PdfObjectId(number, generation))
    {
    }

    public PdfObjectId Id { get; } = id;
}

/// <summary>
/// A stream as read from a file: its dictionary and where its raw data lies. Data is read on demand,
/// so that a big content stream is never loaded just because its object was parsed.
/// </summary>
public sealed class PdfStream(PdfDictionary dictionary, long dataOffset) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;

    /// <summary>Absolute file offset of the first data byte (after "stream" EOL).</summary>
    public long DataOffset { get; } = dataOffset;
}
