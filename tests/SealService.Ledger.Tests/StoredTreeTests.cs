using SealService.Ledger.Merkle;

namespace SealService.Ledger.Tests;

/// <summary>The tree's stored form (levels of complete-subtree hashes, as PostgreSQL keeps them in tiles) and loading it back.</summary>
public class StoredTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void A_tree_loaded_from_its_levels_gives_the_same_roots_and_proofs(int size)
    {
        var built = new MerkleTree();
        for (var i = 0; i < size + 5; i++)
            built.AppendEntry(BitConverter.GetBytes(i));

        var loaded = new MerkleTree();
        loaded.Load(built.Levels(size));
        Assert.Equal(size, loaded.Size);
        Assert.Equal(built.RootHash(size), loaded.RootHash(size));
        for (var i = 0; i < size; i += Math.Max(1, size / 7))
            Assert.Equal(built.InclusionProof(i, size), loaded.InclusionProof(i, size));
        Assert.Equal(built.ConsistencyProof(size / 2, size), loaded.ConsistencyProof(size / 2, size));

        // It grows on from there exactly as the original did.
        for (var i = size; i < size + 5; i++)
            loaded.AppendEntry(BitConverter.GetBytes(i));
        Assert.Equal(built.RootHash(size + 5), loaded.RootHash(size + 5));
    }

    [Fact]
    public void A_damaged_or_incomplete_level_is_refused()
    {
        var built = new MerkleTree();
        for (var i = 0; i < 100; i++)
            built.AppendEntry(BitConverter.GetBytes(i));

        var damaged = built.Levels(100);
        damaged[2][40] ^= 1; // a parent that is not the hash of its children
        Assert.Throws<InvalidDataException>(() => new MerkleTree().Load(damaged));

        var shortLevel = built.Levels(100);
        shortLevel[1] = shortLevel[1][..^32];
        Assert.Throws<InvalidDataException>(() => new MerkleTree().Load(shortLevel));

        var missingTop = built.Levels(100);
        missingTop.RemoveAt(missingTop.Count - 1);
        Assert.Throws<InvalidDataException>(() => new MerkleTree().Load(missingTop));
    }
}
