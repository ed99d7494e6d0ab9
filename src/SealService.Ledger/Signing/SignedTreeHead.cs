using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SealService.Ledger.Canonical;

namespace SealService.Ledger.Signing;

/// <summary>
/// A signed tree head. JSON: <c>{"keyId","rootHash"(base64),"signature"(base64),"timestamp","treeSize"}</c>.
/// The signature covers <see cref="SignedBytes"/>: the canonical JSON of the head without "signature".
/// </summary>
public sealed record SignedTreeHead(
    [property: JsonPropertyName("treeSize")] long TreeSize,
    [property: JsonPropertyName("rootHash")] byte[] RootHash,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("signature")] byte[] Signature,
    [property: JsonPropertyName("keyId")] string KeyId)
{
    public static byte[] SignedBytesOf(long treeSize, ReadOnlySpan<byte> rootHash, string timestamp, string keyId) =>
        CanonicalJson.Serialize(new JsonObject
        {
            ["keyId"] = keyId,
            ["rootHash"] = Convert.ToBase64String(rootHash),
            ["timestamp"] = timestamp,
            ["treeSize"] = treeSize,
        });

    /// <summary>Value equality, including the hash and signature bytes.</summary>
    public bool Equals(SignedTreeHead? other) =>
        other is not null && TreeSize == other.TreeSize && RootHash.AsSpan().SequenceEqual(other.RootHash)
        && Timestamp == other.Timestamp && Signature.AsSpan().SequenceEqual(other.Signature) && KeyId == other.KeyId;

    public override int GetHashCode() => HashCode.Combine(TreeSize, Timestamp, KeyId);

    /// <summary>The instant <see cref="Timestamp"/> names (null if the signed text is not a date).</summary>
    [JsonIgnore]
    public DateTimeOffset? IssuedAt =>
        DateTimeOffset.TryParse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    [JsonIgnore]
    public byte[] SignedBytes => SignedBytesOf(TreeSize, RootHash, Timestamp, KeyId);

    /// <summary>Canonical JSON of the whole head (what is stored and exported).</summary>
    public byte[] ToCanonicalJson() => CanonicalJson.Serialize(ToJsonObject());

    public JsonObject ToJsonObject() => new()
    {
        ["keyId"] = KeyId,
        ["rootHash"] = Convert.ToBase64String(RootHash),
        ["signature"] = Convert.ToBase64String(Signature),
        ["timestamp"] = Timestamp,
        ["treeSize"] = TreeSize,
    };

    /// <summary>Parses the JSON form; throws <see cref="LedgerException"/> (LEDGER_PACKAGE_INVALID) on malformed input.</summary>
    public static SignedTreeHead FromJson(JsonNode? node)
    {
        try
        {
            var o = node!.AsObject();
            return new SignedTreeHead(
                o["treeSize"]!.GetValue<long>(),
                Convert.FromBase64String(o["rootHash"]!.GetValue<string>()),
                o["timestamp"]!.GetValue<string>(),
                Convert.FromBase64String(o["signature"]!.GetValue<string>()),
                o["keyId"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, "A tree head is not valid JSON of the documented shape.", ex);
        }
    }
}
