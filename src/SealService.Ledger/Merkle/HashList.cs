namespace SealService.Ledger.Merkle;

/// <summary>32-byte hashes in one growable array (no object per hash): 32 bytes per entry.</summary>
internal sealed class HashList
{
    private byte[] _data = new byte[MerkleHash.Size * 1024];

    public long Count { get; private set; }

    public ReadOnlySpan<byte> this[long index] => _data.AsSpan(checked((int)(index * MerkleHash.Size)), MerkleHash.Size);

    /// <summary>Appends; a value that is not 32 bytes (a damaged row) is kept as zeros, which never equals a real hash.</summary>
    public void Add(ReadOnlySpan<byte> hash)
    {
        var offset = checked((int)(Count * MerkleHash.Size));
        if (offset + MerkleHash.Size > _data.Length)
        {
            Array.Resize(ref _data, checked(_data.Length * 2));
        }

        if (hash.Length == MerkleHash.Size)
        {
            hash.CopyTo(_data.AsSpan(offset));
        }

        Count++;
    }

    public long IndexOf(ReadOnlySpan<byte> hash)
    {
        for (long i = 0; i < Count; i++)
        {
            if (this[i].SequenceEqual(hash))
            {
                return i;
            }
        }

        return -1;
    }
}
