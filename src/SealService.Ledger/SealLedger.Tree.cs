using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger;

/// <summary>The in-memory tree: catching up from storage, checking it against the signed head, its frontier and stored form.</summary>
public sealed partial class SealLedger
{
    private void EnsureLoaded(long treeSize)
    {
        CatchUpTo(treeSize);
        if (_tree.Size < treeSize)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"A signed head covers {treeSize} entries but only {_tree.Size} are stored.");
        }
    }

    /// <summary>Appends committed rows beyond the tree (caller holds the tree lock). Each row's leaf hash is recomputed.</summary>
    private void CatchUp() => CatchUp(_storage.ReadEntries(_tree.Size));

    /// <summary>Catches up only when the tree is smaller than <paramref name="size"/> (caller holds the tree lock).</summary>
    private void CatchUpTo(long size)
    {
        if (_tree.Size < size)
        {
            CatchUp();
        }
    }

    /// <summary>The same inside the SQLite writer's transaction (rows another writer committed before it took the lock).</summary>
    private void CatchUp(SqliteConnection connection, SqliteTransaction? transaction) =>
        CatchUp(LedgerDatabase.ReadEntries(connection, _tree.Size, transaction));

    private void CatchUp(IEnumerable<StoredEntry> rows)
    {
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        foreach (var row in rows)
        {
            MerkleHash.Leaf(row.Entry, leaf);
            if (row.Index != _tree.Size || !leaf.SequenceEqual(row.LeafHash))
            {
                throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"Stored entry {row.Index} is missing, out of order or altered; run 'sealctl ledger verify'.");
            }

            _tree.AppendLeafHash(leaf);
        }
    }

    private void CheckAgainst(SignedTreeHead? latest)
    {
        if (latest is null)
        {
            return;
        }

        if (!_signer.CreateVerifier().Verify(latest))
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyMismatch, $"The latest tree head (size {latest.TreeSize}) does not verify with the configured ledger key.");
        }

        if (latest.TreeSize > _tree.Size || !_tree.RootHash(latest.TreeSize).AsSpan().SequenceEqual(latest.RootHash))
        {
            throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"The stored entries no longer match the signed tree head of size {latest.TreeSize}; run 'sealctl ledger verify'.");
        }
    }

    /// <summary>Entries whose tree hashes were loaded from storage at open instead of being read and hashed (0: none).</summary>
    public long LoadedFromStoredTree { get; private set; }

    /// <summary>The tree of the first <paramref name="size"/> entries in its stored form (for a storage that keeps tree hashes).</summary>
    public List<byte[]> TreeLevels(long size)
    {
        lock (_treeLock)
        {
            CatchUpTo(size);
            return _tree.Levels(size);
        }
    }

    /// <summary>
    /// The right edge of the stored tree at <paramref name="size"/> (caught up from storage first): what a sequencer needs
    /// to compute the roots of the entries it integrates next.
    /// </summary>
    public CompactRange Frontier(long size)
    {
        lock (_treeLock)
        {
            CatchUpTo(size);
            return size <= _tree.Size
                ? _tree.Frontier(size)
                : throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"The store has {size} entries but only {_tree.Size} could be read.");
        }
    }

    /// <summary>Right edge of the tree at <paramref name="size"/>, reading rows the tree does not have yet from the caller's transaction.</summary>
    private CompactRange FrontierAt(long size, SqliteConnection connection, SqliteTransaction transaction)
    {
        CompactRange frontier;
        lock (_treeLock)
        {
            frontier = _tree.Frontier(Math.Min(_tree.Size, size));
        }

        foreach (var row in LedgerDatabase.ReadEntries(connection, frontier.Size, transaction, size))
        {
            frontier.Append(row.LeafHash);
        }

        return frontier;
    }
}
