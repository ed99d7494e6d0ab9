namespace SealService.Pdf.Parsing;

/// <summary>
/// One revision of a PDF: the original file or one incremental update. It owns its cross-reference section (table or
/// stream), its trailer, and the entries it introduces, changes or frees. <see cref="EndOffset"/> is the first byte
/// after its <c>%%EOF</c> marker, or -1 when no <c>startxref</c> naming this section is found (the revision's end is
/// unclear, and no signature can be said to cover exactly it).
/// </summary>
public sealed class PdfRevision(long xrefOffset, XrefKind kind, PdfDictionary trailer, IReadOnlyDictionary<int, XrefEntry> entries, bool hybrid)
{
    /// <summary>0 for the original file, counting up with every update.</summary>
    public int Index { get; internal set; }

    public long XrefOffset { get; } = xrefOffset;

    public XrefKind Kind { get; } = kind;

    public PdfDictionary Trailer { get; } = trailer;

    /// <summary>The entries of this section only (object numbers it defines or frees).</summary>
    public IReadOnlyDictionary<int, XrefEntry> Entries { get; } = entries;

    /// <summary>A classic table with an /XRefStm: readers disagree on such files, so verification refuses them.</summary>
    public bool IsHybrid { get; } = hybrid;

    public long EndOffset { get; internal set; } = -1;

    public override string ToString() => $"revision {Index} (xref at {XrefOffset}, ends at {EndOffset})";
}
