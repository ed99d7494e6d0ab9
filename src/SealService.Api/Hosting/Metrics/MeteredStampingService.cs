using System.Diagnostics;
using SealService.Domain.Policy;
using SealService.Domain.Stamping;

namespace SealService.Api.Hosting.Metrics;

/// <summary>Counts and times every stamp, REST or gRPC, around the application service (no change to what it does).</summary>
internal sealed class MeteredStampingService(IStampingService inner, SealMetrics metrics) : IStampingService
{
    public Task<StampResult> StampAsync(Caller caller, StampCommand command, Stream? pdf, string idempotencyKey, CancellationToken ct) =>
        MeasureAsync(() => inner.StampAsync(caller, command, pdf, idempotencyKey, ct));

    public Task<IStagedPdf> StageUploadAsync(StampCommand command, string idempotencyKey, Stream pdf, CancellationToken ct) =>
        inner.StageUploadAsync(command, idempotencyKey, pdf, ct);

    public Task<StampResult> StampUploadAsync(Caller caller, StampCommand command, IStagedPdf upload, string idempotencyKey, CancellationToken ct) =>
        MeasureAsync(() => inner.StampUploadAsync(caller, command, upload, idempotencyKey, ct));

    public Task<DocumentRecord> GetDocumentRecordAsync(Caller caller, string documentId, CancellationToken ct) =>
        inner.GetDocumentRecordAsync(caller, documentId, ct);

    public Task<DocumentContent> OpenDocumentAsync(Caller caller, string documentId, CancellationToken ct) =>
        inner.OpenDocumentAsync(caller, documentId, ct);

    public Task<Domain.Ports.Page<SealUseRecord>> QuerySealUsesAsync(Caller caller, SealUseFilter filter, Domain.Ports.PageRequest page, CancellationToken ct) =>
        inner.QuerySealUsesAsync(caller, filter, page, ct);

    /// <summary>The catalogue's kind of the code, in lower case (refused, unprocessable, notfound, unavailable, …).</summary>
    private static string Outcome(string code) => Errors.ErrorCatalog.KindName(Errors.ErrorCatalog.Find(code).Kind);

    private async Task<StampResult> MeasureAsync(Func<Task<StampResult>> stamp)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await stamp();
            metrics.Stamp(result.Replayed ? "replayed" : "stamped", "", Stopwatch.GetElapsedTime(started).TotalSeconds);
            return result;
        }
        catch (Domain.Errors.DomainException e)
        {
            metrics.Stamp(Outcome(e.Code), e.Code, Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }
}
