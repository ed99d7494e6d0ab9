using SealService.Ledger.Merkle;

namespace SealService.Ledger.Tests;

/// <summary>Production tree and verifier against the independent RFC recursion in <see cref="RfcReference"/>.</summary>
public class MerkleTreeTests
{
    private const int MaxSize = 300;

    private static readonly List<byte[]> Entries = Enumerable.Range(0, MaxSize)
        .Select(i => System.Text.Encoding.UTF8.GetBytes($"entry-{i}-{new string('x', i % 7)}"))
        .ToList();

    private static readonly MerkleTree Tree = Build();

    private static readonly byte[][] ReferenceRoots = Enumerable.Range(0, MaxSize + 1)
        .Select(n => RfcReference.Mth(Entries.Take(n).ToList()))
        .ToArray();

    [Fact]
    public void Empty_tree_root_is_hash_of_empty_string()
    {
        Assert.Equal(Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), new MerkleTree().RootHash(0));
    }

    [Fact]
    public void Roots_of_every_size_1_to_300_match_the_RFC_definition()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            Assert.Equal(ReferenceRoots[n], Tree.RootHash(n));
        }
    }

    [Fact]
    public void Compact_range_root_matches_the_tree_at_every_size()
    {
        var range = new CompactRange();
        for (var n = 1; n <= MaxSize; n++)
        {
            range.Append(Tree.LeafHash(n - 1));
            Assert.Equal(ReferenceRoots[n], range.RootHash());
            Assert.Equal(ReferenceRoots[n], Tree.Frontier(n).RootHash());
        }
    }

    [Fact]
    public void Every_inclusion_proof_for_sizes_1_to_300_verifies_with_the_independent_verifier()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            for (var m = 0; m < n; m++)
            {
                var proof = Tree.InclusionProof(m, n);
                var leaf = RfcReference.LeafHash(Entries[m]);
                Assert.True(RfcReference.VerifyInclusion(m, n, leaf, proof, ReferenceRoots[n]), $"independent verifier rejected PATH({m}, {n})");
                Assert.True(MerkleProofVerifier.VerifyInclusion(m, n, leaf, proof, ReferenceRoots[n]), $"production verifier rejected PATH({m}, {n})");
            }
        }
    }

    [Fact]
    public void Inclusion_proofs_equal_the_RFC_PATH_for_sampled_indexes()
    {
        var random = new Random(9162);
        for (var n = 1; n <= MaxSize; n++)
        {
            var m = random.Next(n);
            Assert.Equal(RfcReference.Path(m, Entries.Take(n).ToList()), Tree.InclusionProof(m, n));
        }
    }

    [Fact]
    public void Consistency_proofs_for_all_pairs_up_to_64_and_random_pairs_up_to_300_verify_independently()
    {
        var random = new Random(6962);
        var pairs = new List<(int M, int N)>();
        for (var n = 1; n <= 64; n++)
        {
            for (var m = 1; m <= n; m++)
            {
                pairs.Add((m, n));
            }
        }

        for (var i = 0; i < 3000; i++)
        {
            var n = random.Next(1, MaxSize + 1);
            pairs.Add((random.Next(1, n + 1), n));
        }

        foreach (var (m, n) in pairs)
        {
            var proof = Tree.ConsistencyProof(m, n);
            Assert.True(RfcReference.VerifyConsistency(m, n, ReferenceRoots[m], ReferenceRoots[n], proof), $"independent verifier rejected PROOF({m}, {n})");
            Assert.True(MerkleProofVerifier.VerifyConsistency(m, n, ReferenceRoots[m], ReferenceRoots[n], proof), $"production verifier rejected PROOF({m}, {n})");
        }
    }

    [Fact]
    public void Consistency_proofs_equal_the_RFC_PROOF_for_sampled_pairs()
    {
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var n = random.Next(1, MaxSize + 1);
            var m = random.Next(1, n + 1);
            Assert.Equal(RfcReference.Proof(m, Entries.Take(n).ToList()), Tree.ConsistencyProof(m, n));
        }
    }

    [Fact]
    public void Tampered_proofs_are_rejected_by_the_production_verifier()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var n = random.Next(2, MaxSize + 1);
            var m = random.Next(n);
            var leaf = RfcReference.LeafHash(Entries[m]);
            var proof = Tree.InclusionProof(m, n).Select(p => (byte[])p.Clone()).ToList();
            var k = random.Next(proof.Count);
            proof[k][random.Next(32)] ^= (byte)(1 << random.Next(8));
            Assert.False(MerkleProofVerifier.VerifyInclusion(m, n, leaf, proof, ReferenceRoots[n]));
            Assert.False(MerkleProofVerifier.VerifyInclusion((m + 1) % n, n, leaf, Tree.InclusionProof(m, n), ReferenceRoots[n]));

            var first = random.Next(1, n);
            var consistency = Tree.ConsistencyProof(first, n).Select(p => (byte[])p.Clone()).ToList();
            consistency[random.Next(consistency.Count)][random.Next(32)] ^= 0x10;
            Assert.False(MerkleProofVerifier.VerifyConsistency(first, n, ReferenceRoots[first], ReferenceRoots[n], consistency));
            Assert.False(RfcReference.VerifyConsistency(first, n, ReferenceRoots[first], ReferenceRoots[n], consistency));
        }
    }

    [Fact]
    public void A_consistency_proof_is_refused_when_either_root_is_wrong_for_every_pair_up_to_64()
    {
        // For old sizes that are not powers of two only the old-root comparison catches a wrong old root.
        for (var n = 2; n <= 64; n++)
        {
            for (var m = 1; m < n; m++)
            {
                var proof = Tree.ConsistencyProof(m, n);
                Assert.True(MerkleProofVerifier.VerifyConsistency(m, n, ReferenceRoots[m], ReferenceRoots[n], proof), $"PROOF({m}, {n})");
                Assert.False(MerkleProofVerifier.VerifyConsistency(m, n, Flipped(ReferenceRoots[m]), ReferenceRoots[n], proof), $"wrong old root, PROOF({m}, {n})");
                Assert.False(MerkleProofVerifier.VerifyConsistency(m, n, ReferenceRoots[m], Flipped(ReferenceRoots[n]), proof), $"wrong new root, PROOF({m}, {n})");
                Assert.False(MerkleProofVerifier.VerifyConsistency(m, n, ReferenceRoots[m - 1 == 0 ? m + 1 : m - 1], ReferenceRoots[n], proof), $"another size's root, PROOF({m}, {n})");
            }
        }
    }

    [Fact]
    public void An_inclusion_proof_is_refused_against_a_wrong_root_or_a_wrong_size()
    {
        for (var n = 1; n <= 64; n++)
        {
            for (var m = 0; m < n; m++)
            {
                var leaf = RfcReference.LeafHash(Entries[m]);
                var proof = Tree.InclusionProof(m, n);
                Assert.True(MerkleProofVerifier.VerifyInclusion(m, n, leaf, proof, ReferenceRoots[n]));
                Assert.False(MerkleProofVerifier.VerifyInclusion(m, n, leaf, proof, Flipped(ReferenceRoots[n])), $"wrong root, ({m}, {n})");
                Assert.False(MerkleProofVerifier.VerifyInclusion(m, n, Flipped(leaf), proof, ReferenceRoots[n]), $"wrong leaf, ({m}, {n})");
                Assert.False(MerkleProofVerifier.VerifyInclusion(m, n + 1, leaf, proof, ReferenceRoots[n + 1]), $"wrong size, ({m}, {n})");
            }
        }
    }

    private static byte[] Flipped(byte[] hash)
    {
        var copy = (byte[])hash.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }

    private static MerkleTree Build()
    {
        var tree = new MerkleTree();
        foreach (var entry in Entries)
        {
            tree.AppendEntry(entry);
        }

        return tree;
    }
}
