using System.Numerics;

namespace SealService.Ledger.Merkle;

/// <summary>
/// In-memory RFC 9162 tree: level 0 holds leaf hashes, level k every complete subtree of 2^k
/// leaves, so any root, inclusion proof or consistency proof costs O(log n) node lookups plus at
/// most O(log² n) hashes for the incomplete right edge. Not thread-safe; callers lock.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<HashLevel> _levels = [new HashLevel()];

    public long Size => _levels[0].Count;

    public void AppendEntry(ReadOnlySpan<byte> entry)
    {
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        MerkleHash.Leaf(entry, leaf);
        AppendLeafHash(leaf);
    }

    public void AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        }

        _levels[0].Append(leafHash);
        Span<byte> parent = stackalloc byte[MerkleHash.Size];
        var level = 0;
        // A new complete pair at this level creates its parent one level up.
        while (_levels[level].Count % 2 == 0)
        {
            var count = _levels[level].Count;
            MerkleHash.Node(_levels[level].Get(count - 2), _levels[level].Get(count - 1), parent);
            if (_levels.Count == level + 1)
            {
                _levels.Add(new HashLevel());
            }

            _levels[level + 1].Append(parent);
            level++;
        }
    }

    /// <summary>
    /// Replaces the tree with stored levels (level k holding the hashes of the complete subtrees of 2^k leaves, in order):
    /// no entry is read. Each stored parent is checked against its children (one 64-byte hash per node); the counts must
    /// be those of one tree: level k has exactly size / 2^k hashes.
    /// </summary>
    public void Load(IReadOnlyList<byte[]> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var size = levels.Count == 0 ? 0 : levels[0].Length / MerkleHash.Size;
        var loaded = new List<HashLevel>();
        for (var k = 0; k < Math.Max(1, levels.Count); k++)
        {
            var data = k < levels.Count ? levels[k] : [];
            if (data.Length % MerkleHash.Size != 0 || data.Length / MerkleHash.Size != size >> k)
            {
                throw new InvalidDataException($"stored tree level {k} has {data.Length} bytes; a tree of {size} leaves needs {(size >> k) * MerkleHash.Size}");
            }

            loaded.Add(HashLevel.From(data));
        }

        if (size >> levels.Count != 0)
        {
            throw new InvalidDataException($"a tree of {size} leaves needs more than {levels.Count} stored levels");
        }

        // Every stored parent must be the hash of its two children: a head's root alone covers only the top nodes.
        Span<byte> parent = stackalloc byte[MerkleHash.Size];
        for (var k = 1; k < loaded.Count; k++)
        {
            for (long i = 0; i < loaded[k].Count; i++)
            {
                MerkleHash.Node(loaded[k - 1].Get(2 * i), loaded[k - 1].Get(2 * i + 1), parent);
                if (!parent.SequenceEqual(loaded[k].Get(i)))
                {
                    throw new InvalidDataException($"stored tree node {i} of level {k} is not the hash of its children");
                }
            }
        }

        _levels.Clear();
        _levels.AddRange(loaded);
    }

    /// <summary>The stored form of the first <paramref name="size"/> leaves' tree: level k's complete-subtree hashes, concatenated.</summary>
    public List<byte[]> Levels(long size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }

        var levels = new List<byte[]>();
        for (var k = 0; k < _levels.Count && (size >> k) > 0; k++)
        {
            levels.Add(_levels[k].Copy(size >> k));
        }

        return levels;
    }

    public byte[] LeafHash(long index)
    {
        CheckIndex(index, Size);
        return _levels[0].Get(index).ToArray();
    }

    /// <summary>MTH of the first <paramref name="treeSize"/> leaves.</summary>
    public byte[] RootHash(long treeSize)
    {
        if (treeSize < 0 || treeSize > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(treeSize));
        }

        if (treeSize == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var result = new byte[MerkleHash.Size];
        SubtreeHash(0, treeSize, result);
        return result;
    }

    /// <summary>RFC 9162 §2.1.3.1 PATH(index, D[treeSize]), deepest sibling first.</summary>
    public List<byte[]> InclusionProof(long index, long treeSize)
    {
        if (treeSize < 1 || treeSize > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(treeSize));
        }

        CheckIndex(index, treeSize);
        var proof = new List<byte[]>(64);
        Path(index, 0, treeSize, proof);
        return proof;
    }

    /// <summary>RFC 9162 §2.1.4.1 PROOF(first, D[second]).</summary>
    public List<byte[]> ConsistencyProof(long first, long second)
    {
        if (second < 0 || second > Size || first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first));
        }

        var proof = new List<byte[]>(64);
        if (first > 0 && first < second)
        {
            SubProof(first, 0, second, true, proof);
        }

        return proof;
    }

    /// <summary>The perfect subtrees covering the first <paramref name="treeSize"/> leaves, left to right.</summary>
    public CompactRange Frontier(long treeSize)
    {
        if (treeSize < 0 || treeSize > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(treeSize));
        }

        var range = new CompactRange();
        long start = 0;
        for (var level = 63 - BitOperations.LeadingZeroCount((ulong)Math.Max(treeSize, 1)); level >= 0; level--)
        {
            var width = 1L << level;
            if ((treeSize & width) != 0)
            {
                range.Push(level, _levels[level].Get(start >> level));
                start += width;
            }
        }

        range.SetSize(treeSize);
        return range;
    }

    private void Path(long index, long start, long count, List<byte[]> proof)
    {
        if (count == 1)
        {
            return;
        }

        var k = MerkleHash.SplitPoint(count);
        var sibling = new byte[MerkleHash.Size];
        if (index < k)
        {
            Path(index, start, k, proof);
            SubtreeHash(start + k, count - k, sibling);
        }
        else
        {
            Path(index - k, start + k, count - k, proof);
            SubtreeHash(start, k, sibling);
        }

        proof.Add(sibling);
    }

    private void SubProof(long m, long start, long count, bool complete, List<byte[]> proof)
    {
        var node = new byte[MerkleHash.Size];
        if (m == count)
        {
            if (!complete)
            {
                SubtreeHash(start, count, node);
                proof.Add(node);
            }

            return;
        }

        var k = MerkleHash.SplitPoint(count);
        if (m <= k)
        {
            SubProof(m, start, k, complete, proof);
            SubtreeHash(start + k, count - k, node);
        }
        else
        {
            SubProof(m - k, start + k, count - k, false, proof);
            SubtreeHash(start, k, node);
        }

        proof.Add(node);
    }

    /// <summary>MTH(D[start:start+count]); left parts of RFC splits are always aligned perfect subtrees, so they are stored.</summary>
    private void SubtreeHash(long start, long count, Span<byte> destination)
    {
        if (BitOperations.IsPow2(count))
        {
            var level = BitOperations.Log2((ulong)count);
            if (start % count == 0 && level < _levels.Count && (start >> level) < _levels[level].Count)
            {
                _levels[level].Get(start >> level).CopyTo(destination);
                return;
            }
        }

        var k = MerkleHash.SplitPoint(count);
        Span<byte> left = stackalloc byte[MerkleHash.Size];
        Span<byte> right = stackalloc byte[MerkleHash.Size];
        SubtreeHash(start, k, left);
        SubtreeHash(start + k, count - k, right);
        MerkleHash.Node(left, right, destination);
    }

    private static void CheckIndex(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>Hashes of one level in one growable array (no per-node objects).</summary>
    private sealed class HashLevel
    {
        private byte[] _data = new byte[MerkleHash.Size * 64];

        public long Count { get; private set; }

        public ReadOnlySpan<byte> Get(long i) => _data.AsSpan((int)(i * MerkleHash.Size), MerkleHash.Size);

        public static HashLevel From(byte[] data)
        {
            var level = new HashLevel();
            if (data.Length > level._data.Length)
            {
                level._data = new byte[Math.Max(data.Length, level._data.Length)];
            }

            data.CopyTo(level._data, 0);
            level.Count = data.Length / MerkleHash.Size;
            return level;
        }

        public byte[] Copy(long count) => _data.AsSpan(0, checked((int)(count * MerkleHash.Size))).ToArray();

        public void Append(ReadOnlySpan<byte> hash)
        {
            var offset = Count * MerkleHash.Size;
            if (offset + MerkleHash.Size > _data.Length)
            {
                var grown = (long)_data.Length * 2;
                if (grown > Array.MaxLength)
                {
                    throw new InvalidOperationException("The in-memory Merkle tree is full (about 67 million entries).");
                }

                Array.Resize(ref _data, (int)grown);
            }

            hash.CopyTo(_data.AsSpan((int)offset));
            Count++;
        }
    }
}
