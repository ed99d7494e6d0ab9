using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using SealService.Api.Grpc;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using SealService.Pdf.Verification.Reports;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Verification;

/// <summary>gRPC Verify: the streamed file is spooled to a temporary file (size-limited), then the same report as REST.</summary>
[Authorize]
public sealed class VerificationGrpcService(DocumentVerifier verifier, IOptions<VerificationOptions> options) : V1.Verification.VerificationBase
{
    public override async Task<V1.VerificationReport> Verify(IAsyncStreamReader<V1.VerifyRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var max = options.Value.MaxUploadBytes;
        string? documentId = null;
        await using var file = VerificationUpload.CreateTempFile();
        await using (var chunks = new ChunkStream<V1.VerifyRequest>(requestStream, m =>
        {
            if (m.PartCase == V1.VerifyRequest.PartOneofCase.DocumentId && documentId is null && file.Length == 0)
            {
                documentId = m.DocumentId;
                return ReadOnlyMemory<byte>.Empty;
            }

            return m.PartCase == V1.VerifyRequest.PartOneofCase.Chunk ? m.Chunk.Memory : null;
        }, StampingGrpcService.MaxChunkBytes, ct))
        {
            await VerificationUpload.CopyLimitedAsync(chunks, file, max, ct);
        }

        var valid = documentId is { Length: > 0 and <= Ids.MaxLength } && Ids.IsValid(documentId) ? documentId : null;
        return ToMessage(await verifier.VerifyAsync(file, valid, ct));
    }

    private static V1.VerificationReport ToMessage(VerificationReport r)
    {
        var message = new V1.VerificationReport
        {
            Verdict = r.Verdict,
            Sha256 = r.Sha256,
            SizeBytes = r.SizeBytes,
            DocumentId = r.Document?.DocumentId ?? string.Empty,
            DocumentNumber = r.Document?.DocumentNumber ?? string.Empty,
        };
        message.Checks.AddRange(r.Checks.Select(Check));
        foreach (var s in r.Signatures)
        {
            var f = new V1.SignatureFinding
            {
                Field = s.Field,
                Intact = s.Intact,
                Trusted = s.Trusted,
                Coverage = s.Coverage,
                Profile = s.Profile ?? string.Empty,
                Signer = s.Signer ?? string.Empty,
                SigningTime = s.SigningTime is { } t ? Timestamp.FromDateTimeOffset(t) : null,
                SigningTimeSource = s.SigningTimeSource ?? string.Empty,
                SealId = s.Scope?.SealId ?? string.Empty,
                DocumentId = s.Scope?.DocumentId ?? string.Empty,
                DocumentNumber = s.Scope?.DocumentNumber ?? string.Empty,
                MatterId = s.Scope?.MatterId ?? string.Empty,
                Step = s.Scope is { } a ? Wire.Name(a.Step) : string.Empty,
                DocumentKind = s.Scope is { } b ? Wire.Name(b.DocumentKind) : string.Empty,
            };
            f.Modifications.AddRange(s.Modifications);
            f.Checks.AddRange(s.Checks.Select(Check));
            message.Signatures.Add(f);
        }

        return message;
    }

    private static V1.VerificationCheck Check(VerificationCheck c) => new() { Code = c.Code, Status = c.Status, Zh = c.Zh, En = c.En };
}
