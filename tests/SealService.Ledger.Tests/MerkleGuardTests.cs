using SealService.Ledger.Merkle;

namespace SealService.Ledger.Tests;

/// <summary>Malformed proofs and out-of-range requests: a failed proof or an argument error, never a wrong "true".</summary>
public class MerkleGuardTests
{
    private static readonly MerkleTree Tree = Build(13);

    [Fact]
    public void Inclusion_proofs_with_impossible_arguments_fail()
    {
        var leaf = Tree.LeafHash(5);
        var proof = Tree.InclusionProof(5, 13);
        var root = Tree.RootHash(13);
        Assert.True(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, proof, root));

        Assert.False(MerkleProofVerifier.VerifyInclusion(-1, 13, leaf, proof, root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 0, leaf, proof, root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(13, 13, leaf, proof, root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf[..31], proof, root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, proof, root[..31]));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, [.. proof, new byte[32]], root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, [.. proof[..^1]], root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, [proof[0], null!, .. proof[2..]], root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, [proof[0][..31], .. proof[1..]], root));
        Assert.False(MerkleProofVerifier.VerifyInclusion(5, 13, leaf, [.. Enumerable.Repeat(new byte[32], 65)], root));

        // A single-leaf tree: the leaf is the root, with an empty proof only.
        var one = Build(1);
        Assert.True(MerkleProofVerifier.VerifyInclusion(0, 1, one.LeafHash(0), [], one.RootHash(1)));
        Assert.False(MerkleProofVerifier.VerifyInclusion(0, 1, one.LeafHash(0), [new byte[32]], one.RootHash(1)));
    }

    [Fact]
    public void Consistency_proofs_with_impossible_arguments_fail()
    {
        var proof = Tree.ConsistencyProof(6, 13);
        var (old, now) = (Tree.RootHash(6), Tree.RootHash(13));
        Assert.True(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, proof));

        Assert.False(MerkleProofVerifier.VerifyConsistency(-1, 13, old, now, proof));
        Assert.False(MerkleProofVerifier.VerifyConsistency(13, 6, old, now, proof));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old[..31], now, proof));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now[..31], proof));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, []));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, [.. proof, new byte[32]]));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, [proof[0], null!, .. proof[2..]]));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, [proof[0][..31], .. proof[1..]]));
        Assert.False(MerkleProofVerifier.VerifyConsistency(6, 13, old, now, [.. Enumerable.Repeat(new byte[32], 65)]));

        // Equal sizes: only an empty proof between equal roots.
        Assert.True(MerkleProofVerifier.VerifyConsistency(13, 13, now, now, []));
        Assert.False(MerkleProofVerifier.VerifyConsistency(13, 13, now, now, [new byte[32]]));
        Assert.False(MerkleProofVerifier.VerifyConsistency(13, 13, old, now, []));
        // From the empty tree: any tree extends it, with an empty proof only.
        Assert.True(MerkleProofVerifier.VerifyConsistency(0, 13, Tree.RootHash(0), now, []));
        Assert.False(MerkleProofVerifier.VerifyConsistency(0, 13, Tree.RootHash(0), now, [new byte[32]]));
    }

    [Fact]
    public void The_tree_refuses_sizes_and_indexes_it_does_not_hold()
    {
        Assert.Throws<ArgumentException>(() => new MerkleTree().AppendLeafHash(new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.LeafHash(13));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.LeafHash(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.RootHash(14));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.RootHash(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.InclusionProof(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.InclusionProof(0, 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.InclusionProof(6, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.InclusionProof(-1, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(-1, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(7, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.ConsistencyProof(6, 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tree.Frontier(14));
        Assert.Empty(Tree.ConsistencyProof(0, 13));
        Assert.Empty(Tree.ConsistencyProof(13, 13));
        Assert.Empty(Tree.ConsistencyProof(0, 0));
    }

    [Fact]
    public void A_tree_grown_past_its_first_buffer_keeps_every_leaf_and_root()
    {
        // Many leaves force the level buffers to grow several times; the reference recursion checks the result.
        var entries = Enumerable.Range(0, 1100).Select(i => System.Text.Encoding.UTF8.GetBytes($"grow-{i}")).ToList();
        var tree = new MerkleTree();
        foreach (var e in entries)
            tree.AppendEntry(e);
        Assert.Equal(1100, tree.Size);
        Assert.Equal(RfcReference.Mth(entries), tree.RootHash(1100));
        Assert.Equal(RfcReference.Mth(entries.Take(1025).ToList()), tree.RootHash(1025));
        Assert.Equal(RfcReference.LeafHash(entries[1099]), tree.LeafHash(1099));
        var proof = tree.InclusionProof(1099, 1100);
        Assert.True(MerkleProofVerifier.VerifyInclusion(1099, 1100, tree.LeafHash(1099), proof, tree.RootHash(1100)));
    }

    private static MerkleTree Build(int n)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < n; i++)
            tree.AppendEntry(System.Text.Encoding.UTF8.GetBytes($"guard-{i}"));
        return tree;
    }
}
