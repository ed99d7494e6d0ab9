namespace SealService.Ledger.Verification;

/// <summary>Codes a verification reports.</summary>
public static class LedgerFindingCodes
{
    /// <summary>The entry's bytes no longer hash to its leaf hash, or it was rewritten (with its hashes) in place.</summary>
    public const string EntryModified = "ENTRY_MODIFIED";

    /// <summary>An index is missing (gap), or rows a signed head covers are gone.</summary>
    public const string EntryMissing = "ENTRY_MISSING";

    /// <summary>A row that was never appended by the ledger sits at this index (later rows shifted up).</summary>
    public const string EntryInserted = "ENTRY_INSERTED";

    /// <summary>The entry at this index belongs at another index (swap or move).</summary>
    public const string EntryReordered = "ENTRY_REORDERED";

    /// <summary>A tree head's signature or key id does not verify, or its timestamp goes back.</summary>
    public const string TreeHeadInvalid = "TREE_HEAD_INVALID";

    /// <summary>Entries were rewritten consistently (hashes recomputed); only a signed head catches it, to the nearest head.</summary>
    public const string TreeHeadMismatch = "TREE_HEAD_MISMATCH";

    /// <summary>Two consecutive signed heads are not consistent (a forked log).</summary>
    public const string TreeHeadInconsistent = "TREE_HEAD_INCONSISTENT";
}

/// <summary>One problem: a code, the entry index it concerns (when there is one), the head it concerns, a message.</summary>
public sealed record LedgerFinding(string Code, long? Index, long? TreeSize, string Message);

/// <summary>Result of <see cref="LedgerVerifier.Verify"/>.</summary>
public sealed record LedgerVerificationReport(
    long EntryCount,
    int TreeHeadCount,
    long? LatestSignedTreeSize,
    IReadOnlyList<LedgerFinding> Findings)
{
    public bool IsValid => Findings.Count == 0;

    /// <summary>The first bad entry index, if any finding names one.</summary>
    public long? FirstBadIndex => Findings.Where(f => f.Index is not null).Select(f => f.Index).Min();

    /// <summary>The finding to show first: the one with the lowest index, else the first head problem.</summary>
    public LedgerFinding? FirstFinding => Findings.Where(f => f.Index is not null).OrderBy(f => f.Index).FirstOrDefault() ?? Findings.FirstOrDefault();

    /// <summary>Entries after the latest valid signed head: only per-row checks protect them.</summary>
    public long UnsignedEntries => EntryCount - (LatestSignedTreeSize ?? 0);
}
