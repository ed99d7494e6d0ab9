using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Stamping;

/// <summary>
/// The stamping application service (REST and gRPC both call it). Every method throws <see cref="StampingException"/>
/// for an expected failure; its code picks the transport status (the API's error catalogue).
/// </summary>
public interface IStampingService
{
    /// <summary>
    /// Policy decision → document number → render (template) or the uploaded <paramref name="pdf"/> → sign → store document
    /// and seal use in one transaction. <paramref name="pdf"/> is read once, forward-only, and not disposed; it must be null
    /// when a template is named. <paramref name="idempotencyKey"/> (1..128 printable ASCII) is required: the same key with the
    /// same request answers the original result (<see cref="StampResult.Replayed"/> = true); with a different request
    /// <c>IDEMPOTENCY_CONFLICT</c>. Refusals are recorded and thrown (code from the policy).
    /// </summary>
    Task<StampResult> StampAsync(Caller caller, StampCommand command, Stream? pdf, string idempotencyKey, CancellationToken ct);

    /// <summary>
    /// Checks the command (VALIDATION_FAILED), then spools and checks its upload (PDF_TOO_LARGE, PDF_INVALID) before
    /// anything is decided or numbered, so that a transport can finish reading its request (e.g. make sure a multipart body
    /// holds nothing more) first. The caller disposes it.
    /// </summary>
    Task<IStagedPdf> StageUploadAsync(StampCommand command, string idempotencyKey, Stream pdf, CancellationToken ct);

    /// <summary>Stamps an upload staged by <see cref="StageUploadAsync"/>.</summary>
    Task<StampResult> StampUploadAsync(Caller caller, StampCommand command, IStagedPdf upload, string idempotencyKey, CancellationToken ct);

    /// <summary>The record of a stored document (NOT_FOUND; FORBIDDEN outside the caller's scope).</summary>
    Task<DocumentRecord> GetDocumentRecordAsync(Caller caller, string documentId, CancellationToken ct);

    /// <summary>The stored PDF, opened for reading (same access rule as the record).</summary>
    Task<DocumentContent> OpenDocumentAsync(Caller caller, string documentId, CancellationToken ct);

    /// <summary>
    /// Seal uses, newest first. Auditors and registry admins see everything; a department officer only uses of their
    /// department's seals (a filter naming another department is FORBIDDEN); a clerk only their township's.
    /// </summary>
    Task<Page<SealUseRecord>> QuerySealUsesAsync(Caller caller, SealUseFilter filter, PageRequest page, CancellationToken ct);
}
