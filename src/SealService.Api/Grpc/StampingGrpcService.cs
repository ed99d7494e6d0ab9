using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Grpc.V1;
using SealService.Api.Hosting;
using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Stamping;
using DomainStampRequest = SealService.Domain.Policy.StampRequest;
using LedgerProofs = SealService.Api.Ledger.DocumentLedgerProof;
using StampRequest = SealService.Api.Grpc.V1.StampRequest;

namespace SealService.Api.Grpc;

/// <summary>
/// sealservice.v1.Stamping over the same application services as REST. Any authenticated caller may call it; the
/// delegation policy and the services decide what each caller may do (same codes as REST).
/// </summary>
[Authorize(Policy = AuthSetup.CanCheckStamps)]
internal sealed class StampingGrpcService(
    IStampingService stamping, StampCheckService checks, LedgerProofs ledger, IOptions<SealServiceOptions> service, TimeProvider clock) : V1.Stamping.StampingBase
{
    /// <summary>Largest PDF piece in one StampUpload message.</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>Piece size GetDocument sends.</summary>
    public const int DocumentChunkBytes = 64 * 1024;

    public override async Task<StampResponse> Stamp(StampRequest request, ServerCallContext context)
    {
        var command = GrpcMapping.ToCommand(request);
        using var pdf = request.HasPdf ? GrpcMapping.ReadOnlyStream(request.Pdf) : null;
        var result = await stamping.StampAsync(context.DomainCaller(), command, pdf, request.IdempotencyKey, context.CancellationToken);
        return GrpcMapping.ToResponse(result);
    }

    public override async Task<StampResponse> StampUpload(IAsyncStreamReader<StampUploadRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.PartCase != StampUploadRequest.PartOneofCase.Request)
            throw Invalid("request", "the first message must carry the request");
        var request = requestStream.Current.Request;
        if (request.HasPdf)
            throw Invalid("request.pdf", "StampUpload sends the PDF in chunk messages, not in the request");

        var command = GrpcMapping.ToCommand(request);
        // The service spools the stream, bounded by the upload limit (PDF_TOO_LARGE), as for a REST multipart upload.
        await using var pdf = new ChunkStream<StampUploadRequest>(requestStream,
            m => m.PartCase == StampUploadRequest.PartOneofCase.Chunk ? m.Chunk.Memory : null, MaxChunkBytes, ct);
        var result = await stamping.StampAsync(context.DomainCaller(), command, pdf, request.IdempotencyKey, ct);
        return GrpcMapping.ToResponse(result);
    }

    public override async Task<CheckStampResponse> CheckStamp(CheckStampRequest request, ServerCallContext context)
    {
        var v = new Validator()
            .Required("seal_id", request.SealId, Ids.MaxLength)
            .Required("matter_id", request.MatterId, Ids.MaxLength)
            .MaxLength("subject_township_id", request.SubjectTownshipId, Ids.MaxLength)
            .MaxLength("as_township_id", request.AsTownshipId, Ids.MaxLength);
        var step = GrpcMapping.Step(v, request.Step);
        var documentKind = GrpcMapping.OptionalEnum<DocumentKind>(v, "document_kind", request.DocumentKind);
        v.ThrowIfAny();

        var caller = context.DomainCaller();
        if (GrpcMapping.Optional(request.AsTownshipId) is { } asTownship)
        {
            if (caller.Role == CallerRole.TownshipClerk && caller.TownshipId != asTownship)
                throw GrpcErrors.Exception(ErrorCodes.Forbidden, "a township clerk can only check as their own township");
            // Ask as a clerk of that township would: the decision they would get.
            caller = caller with { Role = CallerRole.TownshipClerk, TownshipId = asTownship, DepartmentId = null };
        }

        var at = request.At?.ToDateTimeOffset() ?? clock.GetUtcNow();
        var decision = await checks.CheckAsync(
            new DomainStampRequest(caller, request.SealId, request.MatterId, step, GrpcMapping.Optional(request.SubjectTownshipId), documentKind, at),
            context.CancellationToken);
        return GrpcMapping.ToResponse(decision, at);
    }

    public override async Task<V1.DocumentRecord> GetDocumentRecord(GetDocumentRecordRequest request, ServerCallContext context)
    {
        new Validator().Id("document_id", request.DocumentId).ThrowIfAny();
        var record = await stamping.GetDocumentRecordAsync(context.DomainCaller(), request.DocumentId, context.CancellationToken);
        var message = GrpcMapping.ToMessage(record);
        await ledger.AttachAsync(message, record.SealUse.LedgerIndex, context.CancellationToken);
        return message;
    }

    public override async Task GetDocument(GetDocumentRequest request, IServerStreamWriter<DocumentChunk> responseStream, ServerCallContext context)
    {
        new Validator().Id("document_id", request.DocumentId).ThrowIfAny();
        var ct = context.CancellationToken;
        var document = await stamping.OpenDocumentAsync(context.DomainCaller(), request.DocumentId, ct);
        await using var content = document.Content;
        var buffer = new byte[DocumentChunkBytes];
        var first = new DocumentChunk { DocumentNumber = document.DocumentNumber, Sha256 = document.Sha256, SizeBytes = document.Length };
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            var chunk = first ?? new DocumentChunk();
            chunk.Data = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read);
            await responseStream.WriteAsync(chunk, ct);
            first = null;
        }

        if (first is not null)
            await responseStream.WriteAsync(first, ct); // an empty document still answers its header
    }

    public override async Task<QuerySealUsesResponse> QuerySealUses(QuerySealUsesRequest request, ServerCallContext context)
    {
        var (filter, page) = GrpcMapping.ToQuery(request, service.Value.MaxPageSize);
        var result = await stamping.QuerySealUsesAsync(context.DomainCaller(), filter, page, context.CancellationToken);
        var response = new QuerySealUsesResponse { Total = result.Total };
        foreach (var use in result.Items)
            response.Items.Add(GrpcMapping.ToMessage(use));
        return response;
    }

    private static DomainException Invalid(string field, string message) =>
        new(ErrorCodes.ValidationFailed, $"输入无效 (validation failed): {field}", new Dictionary<string, string[]> { [field] = [message] });
}
