using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger;

/// <summary>Reads: signed heads, inclusion and consistency proofs, entries, and the full verification.</summary>
public sealed partial class SealLedger
{
    public Task<SignedTreeHead?> GetLatestTreeHeadAsync(CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                var latest = _storage.ReadLatestTreeHead();
                if (latest is not null && latest.TreeSize > (_latest?.TreeSize ?? 0))
                {
                    _latest = latest; // signed by the node holding the sequencer
                }

                return latest;
            },
            cancellationToken);

    /// <summary>Signed heads with <paramref name="fromSize"/> ≤ treeSize ≤ <paramref name="toSize"/>, oldest first, at most <paramref name="limit"/> (≤ 1000).</summary>
    public Task<IReadOnlyList<SignedTreeHead>> ListTreeHeadsAsync(long fromSize, long toSize, int limit = 1000, CancellationToken cancellationToken = default)
    {
        if (fromSize < 0 || toSize < fromSize || limit is < 1 or > 1000)
        {
            throw new LedgerException(LedgerErrorCodes.RangeInvalid, "Need 0 ≤ from ≤ to and 1 ≤ limit ≤ 1000.");
        }

        return Task.Run<IReadOnlyList<SignedTreeHead>>(
            () => _storage.ReadTreeHeads(fromSize, toSize, limit),
            cancellationToken);
    }

    /// <summary>Inclusion proof of <paramref name="index"/> in the signed head of size <paramref name="treeSize"/>.</summary>
    public async Task<InclusionProof> GetInclusionProofAsync(long index, long treeSize, CancellationToken cancellationToken = default)
    {
        var head = await RequireHeadAsync(treeSize, cancellationToken).ConfigureAwait(false);
        if (index < 0 || index >= treeSize)
        {
            throw new LedgerException(LedgerErrorCodes.IndexOutOfRange, $"Index {index} is not in a tree of size {treeSize}.");
        }

        lock (_treeLock)
        {
            EnsureLoaded(treeSize);
            return new InclusionProof(index, treeSize, _tree.LeafHash(index), _tree.InclusionProof(index, treeSize), head);
        }
    }

    /// <summary>Inclusion proof against the latest signed head; TREE_HEAD_NOT_FOUND until a head covers the index.</summary>
    public async Task<InclusionProof> GetInclusionProofAsync(long index, CancellationToken cancellationToken = default)
    {
        var latest = await GetLatestTreeHeadAsync(cancellationToken).ConfigureAwait(false);
        if (index < 0)
        {
            throw new LedgerException(LedgerErrorCodes.IndexOutOfRange, "Index must not be negative.");
        }

        if (latest is null || latest.TreeSize <= index)
        {
            throw new LedgerException(LedgerErrorCodes.TreeHeadNotFound, $"No signed tree head covers index {index} yet.");
        }

        return await GetInclusionProofAsync(index, latest.TreeSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Consistency proof between two signed heads (first ≤ second).</summary>
    public async Task<ConsistencyProof> GetConsistencyProofAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        if (first < 1 || second < first)
        {
            throw new LedgerException(LedgerErrorCodes.TreeSizeInvalid, "Need 1 ≤ first ≤ second.");
        }

        var firstHead = await RequireHeadAsync(first, cancellationToken).ConfigureAwait(false);
        var secondHead = await RequireHeadAsync(second, cancellationToken).ConfigureAwait(false);
        lock (_treeLock)
        {
            EnsureLoaded(second);
            return new ConsistencyProof(first, second, _tree.ConsistencyProof(first, second), firstHead, secondHead);
        }
    }

    /// <summary>The auditors' check of this store against this ledger's certificate (see <see cref="Verification.LedgerVerifier"/>).</summary>
    public Task<Verification.LedgerVerificationReport> VerifyAsync(CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                using var source = _storage.OpenSnapshot();
                return Verification.LedgerVerifier.Verify(source, _signer.CreateVerifier());
            },
            cancellationToken);

    /// <summary>Stored entry bytes at <paramref name="index"/>.</summary>
    public Task<byte[]> GetEntryAsync(long index, CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                var row = _storage.ReadEntries(index, index + 1).FirstOrDefault();
                return row?.Entry ?? throw new LedgerException(LedgerErrorCodes.IndexOutOfRange, $"No entry {index}.");
            },
            cancellationToken);
}
