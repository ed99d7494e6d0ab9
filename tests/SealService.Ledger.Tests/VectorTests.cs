using System.Text.Json.Nodes;
using SealService.Ledger.Merkle;

namespace SealService.Ledger.Tests;

/// <summary>The transparency-dev/merkle public vectors (Vectors/README.md): happy paths accepted, every mutation rejected.</summary>
public class VectorTests
{
    public static TheoryData<string> InclusionFiles() => Files("inclusion");

    public static TheoryData<string> ConsistencyFiles() => Files("consistency");

    [Fact]
    public void Vector_sets_are_present()
    {
        Assert.True(InclusionFiles().Count >= 38);
        Assert.True(ConsistencyFiles().Count >= 42);
    }

    [Theory]
    [MemberData(nameof(InclusionFiles))]
    public void Inclusion_vector(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)))!;
        var leafIndex = json["leafIdx"]!.GetValue<ulong>();
        var accepted = MerkleProofVerifier.VerifyInclusion(
            leafIndex > long.MaxValue ? -1 : (long)leafIndex,
            json["treeSize"]!.GetValue<long>(),
            Bytes(json["leafHash"]),
            Proof(json["proof"]),
            Bytes(json["root"]));
        Assert.Equal(!json["wantErr"]!.GetValue<bool>(), accepted);
    }

    [Theory]
    [MemberData(nameof(ConsistencyFiles))]
    public void Consistency_vector(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)))!;
        var accepted = MerkleProofVerifier.VerifyConsistency(
            json["size1"]!.GetValue<long>(),
            json["size2"]!.GetValue<long>(),
            Bytes(json["root1"]),
            Bytes(json["root2"]),
            Proof(json["proof"]));
        Assert.Equal(!json["wantErr"]!.GetValue<bool>(), accepted);
    }

    private static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    private static List<byte[]> Proof(JsonNode? node) => node is JsonArray array ? array.Select(Bytes).ToList() : [];

    private static TheoryData<string> Files(string kind)
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(AppContext.BaseDirectory, "Vectors", kind);
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
        }

        return data;
    }
}
