using System.Text.Json;
using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>An uploaded PDF spooled to local storage, hashed and structurally checked. Dispose deletes the spool.</summary>
public interface IStagedPdf : IAsyncDisposable
{
    /// <summary>Lower-case hex SHA-256 of the uploaded bytes.</summary>
    string Sha256 { get; }

    long Length { get; }

    /// <summary>Pages in the document (read from its page tree while staging).</summary>
    int PageCount { get; }

    /// <summary>Opens the spooled bytes (seekable) for signing.</summary>
    Stream OpenRead();
}

/// <summary>A signed document written to a temporary file beside its final place. Dispose deletes it unless published.</summary>
public interface IProducedDocument : IAsyncDisposable
{
    string Sha256 { get; }

    long Length { get; }

    /// <summary>Storage path relative to the documents root (what the store records).</summary>
    string StoragePath { get; }

    /// <summary>fsync + rename into place. Idempotent.</summary>
    Task PublishAsync(CancellationToken ct);

    /// <summary>The record is committed: keep the published file when disposed (otherwise dispose deletes it).</summary>
    void Keep();
}

/// <summary>
/// Everything the document factory needs to render (template) or take (upload) and sign one document. The matter and
/// case number fill the template's bound fields; the scope goes into the signature as a signed attribute. A null
/// <see cref="Level"/> is the host's default level.
/// </summary>
public sealed record DocumentOrder(
    string DocumentId,
    string DocumentNumber,
    Seal Seal,
    Matter Matter,
    DateTimeOffset SigningTime,
    string VerificationUrl,
    string? TemplateId,
    JsonElement? Fields,
    IStagedPdf? Upload,
    StampPlacement? Placement,
    string Reason,
    string? Location,
    StampScope Scope,
    string? SignatureField = null,
    SignatureLevel? Level = null);

/// <summary>Render + sign + file handling (adapter: SealService.Pdf, SealService.Keys, the data folder).</summary>
public interface IDocumentFactory
{
    /// <summary>Spools <paramref name="pdf"/> (at most <paramref name="maxBytes"/>, else PDF_TOO_LARGE), hashes it, parses it (PDF_INVALID).</summary>
    Task<IStagedPdf> StageUploadAsync(Stream pdf, long maxBytes, CancellationToken ct);

    /// <summary>Checks the template exists (TEMPLATE_NOT_FOUND) and the fields bind (TEMPLATE_FIELD_*), without rendering.</summary>
    void ValidateTemplate(string templateId, JsonElement? fields);

    /// <summary>The kind of document the template issues, as the template declares it (TEMPLATE_NOT_FOUND).</summary>
    DocumentKind TemplateKind(string templateId);

    /// <summary>Checks this host can sign at the level (null = its default), before a number is taken (SIGNATURE_LEVEL_UNAVAILABLE).</summary>
    void ValidateLevel(SignatureLevel? level);

    /// <summary>Renders or takes the upload, signs it with the seal's key, writes it to a temporary file (throws StampingException).</summary>
    Task<IProducedDocument> ProduceAsync(DocumentOrder order, CancellationToken ct);

    /// <summary>Opens a stored document for reading.</summary>
    Stream OpenStored(string storagePath);
}

/// <summary>A reserved document number; <see cref="Sequence"/> is per seal and year.</summary>
public sealed record NumberAllocation(string SealId, int Year, long Sequence, string DocumentNumber, string DocumentId);

/// <summary>What an idempotency key was used for: the request's hash and the document it produced.</summary>
public sealed record IdempotentAnswer(string RequestHash, string DocumentId);

/// <summary>A stored document row with the seal use that produced it.</summary>
public sealed record StoredDocument(
    string DocumentId, string DocumentNumber, string Sha256, long SizeBytes, string? TemplateId, string StoragePath, SealUseRecord SealUse);

/// <summary>
/// A document and its seal use, written in one transaction. <see cref="Basis"/> names the seal and agreement versions
/// the decision rested on: the store commits only while they are still the current ones (else
/// <see cref="StampBasisChangedException"/>).
/// </summary>
public sealed record StampCommit(
    Policy.PolicyBasis Basis,
    SealUseRecord SealUse,
    NumberAllocation Number,
    string StoragePath,
    long SizeBytes,
    string IdempotencyKey,
    string RequestHash,
    string? TemplateId,
    SupervisionEvent? Supervision);

/// <summary>审管互动: a result for the matter's supervising department, written to the outbox with the stamp.</summary>
public sealed record SupervisionEvent(string Id, string DepartmentId, string DocumentId, string PayloadJson, DateTimeOffset CreatedAt);

/// <summary>Seal-use and document persistence (adapters: SealService.Storage.Sqlite, SealService.Storage.Postgres).</summary>
public interface IStampingStore
{
    /// <summary>
    /// Holds <paramref name="idempotencyKey"/> for one stamp against every other node sharing the store, until disposed:
    /// waits while a live node holds it, takes it over from a node that is gone. The caller holds the key's in-process
    /// lock; a store only one process uses may hold nothing.
    /// </summary>
    Task<IAsyncDisposable> HoldIdempotencyKeyAsync(string idempotencyKey, CancellationToken ct);

    Task<IdempotentAnswer?> FindIdempotentAsync(string idempotencyKey, CancellationToken ct);

    /// <summary>
    /// Takes the next number for the seal and year, never handed out before (the store may reserve numbers ahead; those
    /// a crash leaves unused become void). <paramref name="format"/> turns the sequence into the printed number.
    /// </summary>
    Task<NumberAllocation> AllocateNumberAsync(string sealId, int year, string documentId, DateTimeOffset at, Func<long, string> format, CancellationToken ct);

    /// <summary>Marks an allocated number void (作废); it is never handed out again.</summary>
    Task VoidNumberAsync(NumberAllocation number, string reason, CancellationToken ct);

    /// <summary>
    /// Document + seal use (+ number used, idempotency key) in ONE transaction, after checking in it that the seal and
    /// agreement versions of <see cref="StampCommit.Basis"/> are still current (else <see cref="StampBasisChangedException"/>,
    /// nothing written). A duplicate idempotency key throws IDEMPOTENCY_CONFLICT (the caller then voids the number).
    /// </summary>
    Task CommitStampAsync(StampCommit commit, CancellationToken ct);

    /// <summary>Records a refused attempt.</summary>
    Task RecordRefusalAsync(SealUseRecord refusal, CancellationToken ct);

    /// <summary>The document's storage path and its seal use; null if unknown.</summary>
    Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken ct);

    Task<Ports.Page<SealUseRecord>> QuerySealUsesAsync(SealUseFilter filter, Ports.PageRequest page, CancellationToken ct);
}
