namespace SealService.Ledger.Merkle;

/// <summary>
/// The right edge of a tree (its perfect subtrees, largest first): enough to append leaves and
/// compute roots without the full tree. Used to compute tentative roots inside a transaction.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(int Level, byte[] Hash)> _nodes = new(64);

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> leafHash) => Append(leafHash, null);

    /// <summary>Appends a leaf and reports every complete subtree it completes (level ≥ 1, its index in that level, its hash).</summary>
    public void Append(ReadOnlySpan<byte> leafHash, Action<int, long, byte[]>? completed)
    {
        var leaf = Size;
        Push(0, leafHash);
        while (_nodes.Count >= 2 && _nodes[^1].Level == _nodes[^2].Level)
        {
            var right = _nodes[^1];
            var left = _nodes[^2];
            _nodes.RemoveRange(_nodes.Count - 2, 2);
            var parent = new byte[MerkleHash.Size];
            MerkleHash.Node(left.Hash, right.Hash, parent);
            _nodes.Add((left.Level + 1, parent));
            completed?.Invoke(left.Level + 1, ((leaf + 1) >> (left.Level + 1)) - 1, parent);
        }

        Size++;
    }

    /// <summary>RFC 9162 MTH: the perfect subtrees folded from the right.</summary>
    public byte[] RootHash()
    {
        if (_nodes.Count == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var acc = (byte[])_nodes[^1].Hash.Clone();
        for (var i = _nodes.Count - 2; i >= 0; i--)
        {
            MerkleHash.Node(_nodes[i].Hash, acc, acc);
        }

        return acc;
    }

    internal void CopyFrom(CompactRange other)
    {
        _nodes.Clear();
        _nodes.AddRange(other._nodes);
        Size = other.Size;
    }

    internal void Push(int level, ReadOnlySpan<byte> hash) => _nodes.Add((level, hash.ToArray()));

    internal void SetSize(long size) => Size = size;
}
