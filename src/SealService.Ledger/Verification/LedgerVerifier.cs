using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;

namespace SealService.Ledger.Verification;

/// <summary>
/// Recomputes the log from its rows and checks it: per row (index continuity, leaf hash =
/// H(0x00 || entry), root_after = root of the prefix ending at the row) and against every signed
/// head (signature, key, root, consistency between consecutive heads). The first failing row is
/// classified (modified / missing / inserted / reordered). What each check can and cannot catch is
/// in docs/ledger.md.
/// </summary>
public static class LedgerVerifier
{
    public static LedgerVerificationReport Verify(ILedgerSource source, TreeHeadVerifier keys)
    {
        var findings = new List<LedgerFinding>();
        var heads = source.ReadTreeHeads().OrderBy(h => h.TreeSize).ToList();
        var validHeads = CheckHeadSignatures(heads, keys, findings);

        var tree = new MerkleTree();
        var frontier = new CompactRange();
        var storedLeaves = new HashList();
        var storedRoots = new HashList();
        long position = 0;
        RowProblem? problem = null;
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        foreach (var row in source.ReadEntries())
        {
            MerkleHash.Leaf(row.Entry, leaf);
            tree.AppendLeafHash(leaf);
            frontier.Append(leaf);
            storedLeaves.Add(row.LeafHash);
            storedRoots.Add(row.RootAfter);
            if (problem is null)
            {
                if (row.Index != position)
                {
                    problem = new RowProblem(position, RowCheck.Gap, row.Index);
                }
                else if (!leaf.SequenceEqual(row.LeafHash))
                {
                    problem = new RowProblem(position, RowCheck.LeafHash, row.Index);
                }
                else if (!frontier.RootHash().AsSpan().SequenceEqual(row.RootAfter))
                {
                    problem = new RowProblem(position, RowCheck.RootAfter, row.Index);
                }
            }

            position++;
        }

        var count = position;
        long? explainedFrom = null;
        if (problem is { } p)
        {
            var finding = Classify(p, tree, storedLeaves, storedRoots, validHeads.Count > 0 ? validHeads[^1].TreeSize : 0, count);
            findings.Add(finding);
            // A rewrite with recomputed root_after values can start before the row that shows it: let the heads bound it.
            explainedFrom = finding.Code == LedgerFindingCodes.EntryModified && p.Check == RowCheck.RootAfter ? null : finding.Index;
        }

        CheckHeadsAgainstTree(validHeads, tree, count, explainedFrom, findings);
        return new LedgerVerificationReport(count, heads.Count, validHeads.Count > 0 ? validHeads[^1].TreeSize : null, findings);
    }

    private static List<SignedTreeHead> CheckHeadSignatures(List<SignedTreeHead> heads, TreeHeadVerifier keys, List<LedgerFinding> findings)
    {
        var valid = new List<SignedTreeHead>();
        string? previousTimestamp = null;
        foreach (var head in heads)
        {
            if (!keys.Verify(head))
            {
                findings.Add(new(LedgerFindingCodes.TreeHeadInvalid, null, head.TreeSize, $"The tree head of size {head.TreeSize} does not verify with the ledger key {keys.KeyId}."));
                continue;
            }

            if (previousTimestamp is not null && string.CompareOrdinal(head.Timestamp, previousTimestamp) < 0)
            {
                findings.Add(new(LedgerFindingCodes.TreeHeadInvalid, null, head.TreeSize, $"The tree head of size {head.TreeSize} is dated before a smaller head."));
            }

            previousTimestamp = head.Timestamp;
            valid.Add(head);
        }

        return valid;
    }

    private static void CheckHeadsAgainstTree(List<SignedTreeHead> heads, MerkleTree tree, long count, long? firstRowProblem, List<LedgerFinding> findings)
    {
        long lastGood = 0;
        SignedTreeHead? previous = null;
        foreach (var head in heads)
        {
            if (head.TreeSize > count)
            {
                if (firstRowProblem is null)
                {
                    findings.Add(new(LedgerFindingCodes.EntryMissing, count, head.TreeSize, $"The signed head of size {head.TreeSize} covers entries from {count} on, which are no longer stored."));
                }

                return;
            }

            if (!tree.RootHash(head.TreeSize).AsSpan().SequenceEqual(head.RootHash))
            {
                if (firstRowProblem is null || firstRowProblem >= head.TreeSize)
                {
                    findings.Add(new(LedgerFindingCodes.TreeHeadMismatch, lastGood, head.TreeSize, $"Entries in [{lastGood}, {head.TreeSize}) were rewritten with recomputed hashes: the signed head of size {head.TreeSize} no longer matches."));
                }

                return;
            }

            if (previous is not null)
            {
                var proof = tree.ConsistencyProof(previous.TreeSize, head.TreeSize);
                if (!MerkleProofVerifier.VerifyConsistency(previous.TreeSize, head.TreeSize, previous.RootHash, head.RootHash, proof))
                {
                    findings.Add(new(LedgerFindingCodes.TreeHeadInconsistent, null, head.TreeSize, $"The heads of size {previous.TreeSize} and {head.TreeSize} are not consistent."));
                }
            }

            lastGood = head.TreeSize;
            previous = head;
        }
    }

    private static LedgerFinding Classify(RowProblem problem, MerkleTree tree, HashList storedLeaves, HashList storedRoots, long signedSize, long count)
    {
        var p = problem.Position;
        switch (problem.Check)
        {
            case RowCheck.Gap:
                return new(LedgerFindingCodes.EntryMissing, p, null, $"Entry {p} is missing: the next stored index is {problem.StoredIndex}.");
            case RowCheck.LeafHash:
                {
                    var recomputed = tree.LeafHash(p);
                    var elsewhere = storedLeaves.IndexOf(recomputed);
                    return elsewhere >= 0 && elsewhere != p
                        ? new(LedgerFindingCodes.EntryReordered, p, null, $"Entry {p} holds the entry recorded at index {elsewhere}.")
                        : new(LedgerFindingCodes.EntryModified, p, null, $"Entry {p} was modified: its bytes no longer hash to its recorded leaf hash.");
                }

            default:
                {
                    var before = tree.Frontier(p);
                    if (p > 0 && RootWith(tree.Frontier(p - 1), tree.LeafHash(p)).AsSpan().SequenceEqual(storedRoots[p]))
                    {
                        // Row p fits right after row p-2: row p-1 (with hashes made up to match) is the intruder.
                        return new(LedgerFindingCodes.EntryInserted, p - 1, null, $"Entry {p - 1} was inserted: the entries after it were shifted up by one.");
                    }

                    for (var j = p + 1; j < count; j++)
                    {
                        var moved = RootWith(before, tree.LeafHash(j));
                        if (moved.AsSpan().SequenceEqual(storedRoots[p]))
                        {
                            return new(LedgerFindingCodes.EntryReordered, p, null, $"The entry recorded at index {p} is now at index {j}.");
                        }

                        if (!moved.AsSpan().SequenceEqual(storedRoots[j]))
                        {
                            continue;
                        }

                        // The row now at j carries the root of a prefix that ended with it at position p.
                        if (j == p + 1 && !RootWith(before, tree.LeafHash(p + 1), tree.LeafHash(p)).AsSpan().SequenceEqual(storedRoots[p]))
                        {
                            return new(LedgerFindingCodes.EntryInserted, p, null, $"Entry {p} was inserted: the entries after it were shifted up by one.");
                        }

                        return new(LedgerFindingCodes.EntryReordered, p, null, $"Entry {p} holds the entry recorded at index {j}, and the entry of index {p} is now at {j}.");
                    }

                    return count < signedSize
                        ? new(LedgerFindingCodes.EntryMissing, p, null, $"An entry at or before {p} is gone and the entries after it were renumbered ({count} stored, {signedSize} signed).")
                        : new(LedgerFindingCodes.EntryModified, p, null, $"The recorded root after entry {p} no longer matches: entry {p} was rewritten with its leaf hash, or earlier entries were rewritten together with all their hashes (see the signed heads).");
                }
        }
    }

    private static byte[] RootWith(CompactRange prefix, params byte[][] leaves)
    {
        var copy = new CompactRange();
        copy.CopyFrom(prefix);
        foreach (var leaf in leaves)
        {
            copy.Append(leaf);
        }

        return copy.RootHash();
    }

    private enum RowCheck
    {
        Gap,
        LeafHash,
        RootAfter,
    }

    private readonly record struct RowProblem(long Position, RowCheck Check, long StoredIndex);
}
