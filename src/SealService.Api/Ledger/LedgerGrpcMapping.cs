using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Ledger;

/// <summary>Ledger values as sealservice.v1 messages, shared by the Ledger and Stamping gRPC services.</summary>
internal static class LedgerGrpcMapping
{
    public static V1.SignedTreeHead Head(SealService.Ledger.Signing.SignedTreeHead head) => new()
    {
        TreeSize = head.TreeSize,
        RootHash = ByteString.CopyFrom(head.RootHash),
        Timestamp = head.Timestamp,
        Signature = ByteString.CopyFrom(head.Signature),
        KeyId = head.KeyId,
        IssuedAt = head.IssuedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    public static V1.InclusionProof Proof(SealService.Ledger.InclusionProof proof)
    {
        var message = new V1.InclusionProof
        {
            Index = proof.Index,
            TreeSize = proof.TreeSize,
            LeafHash = ByteString.CopyFrom(proof.LeafHash),
            TreeHead = Head(proof.TreeHead),
        };
        message.AuditPath.AddRange(proof.AuditPath.Select(ByteString.CopyFrom));
        return message;
    }
}
