namespace SealService.Pdf.Parsing;

public enum XrefEntryKind
{
    Free,
    InFile,
    Compressed,
}

/// <summary>Where an object lives: at a file offset, or as the Nth object of an object stream.</summary>
public readonly record struct XrefEntry(XrefEntryKind Kind, long Offset, int Generation, int StreamNumber, int IndexInStream);

/// <summary>The kind of the newest cross-reference section: an update must write the same kind.</summary>
public enum XrefKind
{
    Table,
    Stream,
}
