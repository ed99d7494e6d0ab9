using System.Security.Cryptography;

namespace SealService.Ledger.Tests;

/// <summary>
/// Independent RFC 6962 §2.1 implementation for the tests: the recursive MTH, PATH and PROOF
/// definitions written literally over the list of entries, plus recursive verifiers that rebuild
/// the roots from a proof. Shares nothing with the production code path.
/// </summary>
internal static class RfcReference
{
    public static byte[] LeafHash(byte[] entry) => SHA256.HashData([0x00, .. entry]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    public static byte[] Mth(IReadOnlyList<byte[]> d)
    {
        if (d.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (d.Count == 1)
        {
            return LeafHash(d[0]);
        }

        var k = Split(d.Count);
        return NodeHash(Mth(Slice(d, 0, k)), Mth(Slice(d, k, d.Count)));
    }

    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> d)
    {
        if (d.Count == 1)
        {
            return [];
        }

        var k = Split(d.Count);
        return m < k
            ? [.. Path(m, Slice(d, 0, k)), Mth(Slice(d, k, d.Count))]
            : [.. Path(m - k, Slice(d, k, d.Count)), Mth(Slice(d, 0, k))];
    }

    public static List<byte[]> Proof(int m, IReadOnlyList<byte[]> d) => m == d.Count ? [] : SubProof(m, d, true);

    /// <summary>Rebuilds the root from an audit path by the same recursion as PATH.</summary>
    public static bool VerifyInclusion(int m, int n, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root)
    {
        if (m < 0 || m >= n)
        {
            return false;
        }

        var stack = new Stack<byte[]>(proof);
        var rebuilt = RebuildPath(m, n, leafHash, stack);
        return rebuilt is not null && stack.Count == 0 && rebuilt.SequenceEqual(root);
    }

    /// <summary>Rebuilds both roots from a consistency proof by the same recursion as SUBPROOF.</summary>
    public static bool VerifyConsistency(int m, int n, byte[] firstRoot, byte[] secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (m == n)
        {
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        }

        if (m < 1 || m > n)
        {
            return false;
        }

        var stack = new Stack<byte[]>(proof);
        var rebuilt = RebuildSubProof(m, n, true, firstRoot, stack);
        return rebuilt is { } r && stack.Count == 0 && r.Old.SequenceEqual(firstRoot) && r.New.SequenceEqual(secondRoot);
    }

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, bool b)
    {
        var n = d.Count;
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }

        var k = Split(n);
        return m <= k
            ? [.. SubProof(m, Slice(d, 0, k), b), Mth(Slice(d, k, n))]
            : [.. SubProof(m - k, Slice(d, k, n), false), Mth(Slice(d, 0, k))];
    }

    // The stack pops the LAST proof element first: the sibling nearest the root.
    private static byte[]? RebuildPath(int m, int n, byte[] leaf, Stack<byte[]> stack)
    {
        if (n == 1)
        {
            return leaf;
        }

        if (stack.Count == 0)
        {
            return null;
        }

        var sibling = stack.Pop();
        var k = Split(n);
        if (m < k)
        {
            var left = RebuildPath(m, k, leaf, stack);
            return left is null ? null : NodeHash(left, sibling);
        }

        var right = RebuildPath(m - k, n - k, leaf, stack);
        return right is null ? null : NodeHash(sibling, right);
    }

    private static (byte[] Old, byte[] New)? RebuildSubProof(int m, int n, bool b, byte[] firstRoot, Stack<byte[]> stack)
    {
        if (m == n)
        {
            if (b)
            {
                return (firstRoot, firstRoot);
            }

            if (stack.Count == 0)
            {
                return null;
            }

            var h = stack.Pop();
            return (h, h);
        }

        if (stack.Count == 0)
        {
            return null;
        }

        var node = stack.Pop();
        var k = Split(n);
        if (m <= k)
        {
            var inner = RebuildSubProof(m, k, b, firstRoot, stack);
            return inner is { } r ? (r.Old, NodeHash(r.New, node)) : null;
        }

        var right = RebuildSubProof(m - k, n - k, false, firstRoot, stack);
        return right is { } q ? (NodeHash(node, q.Old), NodeHash(node, q.New)) : null;
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private static List<byte[]> Slice(IReadOnlyList<byte[]> d, int from, int to) => d.Skip(from).Take(to - from).ToList();
}
