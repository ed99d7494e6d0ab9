using System.Security.Cryptography;

namespace SealService.Ledger.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing with SHA-256: leaf = H(0x00 || entry), node = H(0x01 || left || right).</summary>
public static class MerkleHash
{
    public const int Size = SHA256.HashSizeInBytes;

    /// <summary>Root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        var result = new byte[Size];
        Leaf(entry, result);
        return result;
    }

    public static void Leaf(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadOnlySpan<byte> prefix = [0x00];
        hash.AppendData(prefix);
        hash.AppendData(entry);
        hash.GetHashAndReset(destination);
    }

    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>Largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2).</summary>
    internal static long SplitPoint(long n)
    {
        var k = 1L;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
