using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SealService.Api.Stamping;
using SealService.Domain.Stamping;
using SealService.Ledger;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Ledger;

/// <summary>
/// "Proof travels with the document": a document record plus <c>ledgerIndex</c> and <c>ledgerProof</c> — either
/// <c>{"status":"included","inclusionProof":{…, "treeHead":{…}}}</c> against the latest signed head, or
/// <c>{"status":"pending"}</c> until a head covers the entry. Without a ledger (Ledger:Enabled=false) both are null.
/// </summary>
public sealed class DocumentLedgerProof(IOptions<JsonOptions> json, LedgerJournal? journal = null)
{
    public const string Included = "included";
    public const string Pending = "pending";

    public async Task<JsonObject> AttachAsync(DocumentRecord record, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var node = JsonSerializer.SerializeToNode(record, options)!.AsObject();
        var index = record.SealUse.LedgerIndex;
        node["ledgerIndex"] = index;
        node["ledgerProof"] = index is { } i ? await ProofAsync(i, options, ct) : null;
        return node;
    }

    /// <summary>The same for a gRPC record: <c>ledger_index</c> and <c>ledger_proof</c>, unset without a ledger.</summary>
    public async Task AttachAsync(V1.DocumentRecord message, long? index, CancellationToken ct)
    {
        if (index is not { } i)
            return;
        message.LedgerIndex = i;
        message.LedgerProof = await TryGetProofAsync(i, ct) is { } proof
            ? new V1.DocumentLedgerProof { Status = Included, InclusionProof = LedgerGrpcMapping.Proof(proof) }
            : new V1.DocumentLedgerProof { Status = Pending };
    }

    /// <summary>The inclusion proof against the latest head, or null when no head covers the entry yet.</summary>
    public async Task<InclusionProof?> TryGetProofAsync(long index, CancellationToken ct)
    {
        if (journal?.Ledger is not { } ledger)
            return null;
        var head = await ledger.GetLatestTreeHeadAsync(ct);
        return head is null || head.TreeSize <= index ? null : await ledger.GetInclusionProofAsync(index, head.TreeSize, ct);
    }

    /// <summary>True when the head's signature verifies under this ledger's key.</summary>
    public bool VerifyHead(SealService.Ledger.Signing.SignedTreeHead head) => journal?.Ledger.TreeHeadVerifier.Verify(head) ?? false;

    private async Task<JsonObject> ProofAsync(long index, JsonSerializerOptions options, CancellationToken ct) =>
        await TryGetProofAsync(index, ct) is { } proof
            ? new JsonObject { ["status"] = Included, ["inclusionProof"] = JsonSerializer.SerializeToNode(proof, options) }
            : new JsonObject { ["status"] = Pending };
}
