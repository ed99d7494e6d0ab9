namespace SealService.Pdf.Verification;

/// <summary>
/// Checks a detached CMS signature over the signed bytes. The PDF side finds the bytes (the ByteRange)
/// and the CMS; the crypto side (SealService.Keys) picks the digest algorithm from the CMS, hashes,
/// and checks the signature, the signed attributes and any signature time-stamp.
/// </summary>
public interface ICmsSignatureValidator
{
    Task<CmsValidation> ValidateAsync(ReadOnlyMemory<byte> cms, Stream signedContent, CancellationToken cancellationToken = default);
}

/// <summary>The CMS check's outcome; <see cref="ErrorCode"/> is set when <see cref="Valid"/> is false.</summary>
public sealed record CmsValidation(
    bool Valid,
    string? SignerSubject,
    DateTimeOffset? TimestampTime,
    string? ErrorCode,
    string? Message)
{
    /// <summary>Digest and signature value hold, whatever the trust in the signer (<see cref="Valid"/> adds trust).</summary>
    public bool Intact { get; init; } = Valid;
}
