using System.Text.Json.Serialization;
using SealService.Ledger.Signing;

namespace SealService.Ledger;

/// <summary>Inclusion proof (RFC 9162 audit path, deepest sibling first) with the signed head it verifies against.</summary>
public sealed record InclusionProof(
    [property: JsonPropertyName("index")] long Index,
    [property: JsonPropertyName("treeSize")] long TreeSize,
    [property: JsonPropertyName("leafHash")] byte[] LeafHash,
    [property: JsonPropertyName("auditPath")] IReadOnlyList<byte[]> AuditPath,
    [property: JsonPropertyName("treeHead")] SignedTreeHead TreeHead);

/// <summary>Consistency proof between two signed heads (RFC 9162 §2.1.4), both heads included.</summary>
public sealed record ConsistencyProof(
    [property: JsonPropertyName("first")] long First,
    [property: JsonPropertyName("second")] long Second,
    [property: JsonPropertyName("consistencyPath")] IReadOnlyList<byte[]> ConsistencyPath,
    [property: JsonPropertyName("firstTreeHead")] SignedTreeHead FirstTreeHead,
    [property: JsonPropertyName("secondTreeHead")] SignedTreeHead SecondTreeHead);
