namespace SealService.Pdf.Verification;

/// <summary>
/// Checks a detached CMS signature over the signed bytes. The PDF side finds the bytes (the ByteRange)
/// and the CMS; the crypto side (SealService.Keys) picks the digest algorithm from the CMS, hashes,
/// and checks the signature, the signed attributes and any signature time-stamp.
/// </summary>
public interface ICmsSignatureValidator
{
    /// <summary><paramref name="subFilter"/> picks the rules: PAdES baseline for ETSI.CAdES.detached (or none given), plain CMS otherwise.</summary>
    Task<CmsValidation> ValidateAsync(ReadOnlyMemory<byte> cms, Stream signedContent, string? subFilter, CancellationToken cancellationToken = default);
}

/// <summary>The CMS check's outcome; <see cref="ErrorCode"/> is set when <see cref="Valid"/> is false.</summary>
public sealed record CmsValidation(
    bool Valid,
    string? SignerSubject,
    DateTimeOffset? TimestampTime,
    string? ErrorCode,
    string? Message)
{
    /// <summary>Digest and signature value hold, whatever the trust in the signer or the profile.</summary>
    public bool Intact { get; init; } = Valid;

    /// <summary>Intact, and the signer's chain reaches a trust anchor at the signing time.</summary>
    public bool Trusted { get; init; } = Valid;

    /// <summary>PAdES-baseline rules an ETSI.CAdES.detached signature breaks (e.g. a signing-time attribute), and a weak digest.</summary>
    public IReadOnlyList<string> ProfileIssues { get; init; } = [];
}
