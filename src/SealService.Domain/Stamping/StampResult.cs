namespace SealService.Domain.Stamping;

/// <summary>
/// The answer to a successful stamp. <see cref="Replayed"/> is true when an earlier request with the same idempotency key
/// and the same content produced it (REST answers 200 instead of 201, with the same body).
/// </summary>
public sealed record StampResult(
    string DocumentId,
    string DocumentNumber,
    string Sha256,
    long SizeBytes,
    string SealUseId,
    string DownloadUrl,
    string VerificationUrl,
    DateTimeOffset StampedAt,
    bool Replayed = false);
