namespace SealService.Pdf.Verification;

/// <summary>What a verifier found about one signature in a PDF.</summary>
public sealed record PdfSignatureReport
{
    public required string FieldName { get; init; }

    /// <summary>True only if the ByteRange is well formed and the CMS verifies over it.</summary>
    public bool Valid { get; init; }

    /// <summary>Framing, digest and signature value hold (the signer may still be untrusted).</summary>
    public bool Intact { get; init; }

    /// <summary>Intact and the signer's chain reaches a trust anchor (profile rules aside).</summary>
    public bool Trusted { get; init; }

    /// <summary>PAdES-baseline rules an ETSI.CAdES.detached signature breaks, and a weak digest (SHA-1) under any SubFilter.</summary>
    public IReadOnlyList<string> ProfileIssues { get; init; } = [];

    /// <summary>The CMS (DER, padding removed) when the framing held; for reading its signed attributes.</summary>
    public byte[]? Cms { get; init; }

    /// <summary>The ByteRange reaches the end of the file: nothing was appended after this signature.</summary>
    public bool CoversWholeDocument { get; init; }

    /// <summary>Bytes covered by the ByteRange (everything but the /Contents string).</summary>
    public long CoveredBytes { get; init; }

    public long FileLength { get; init; }

    public IReadOnlyList<long> ByteRange { get; init; } = [];

    public string? SubFilter { get; init; }

    public string? SignerSubject { get; init; }

    /// <summary>The signature dictionary's /M (claimed by the signer, not proven).</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>
    /// The signer certificate's revocation at the signing time (the time-stamp's, else /M), from the OCSP answers and
    /// CRLs the document carries in its DSS or, when the verifier may fetch, from an answer fetched now; and what it
    /// relied on. Null when the signature was not checked that far.
    /// </summary>
    public SealService.Keys.Revocation.RevocationFinding? Revocation { get; init; }

    /// <summary>The revocation of the signature time-stamp's TSA certificate at the time-stamp's time; null without a time-stamp.</summary>
    public SealService.Keys.Revocation.RevocationFinding? TimestampRevocation { get; init; }

    /// <summary>DocMDP P of a certification signature (1 no change, 2 fill forms and sign, 3 also annotate); null for an approval signature.</summary>
    public int? CertificationPermissions { get; init; }

    /// <summary>
    /// The document's own DSS covers the revocation of the signer certificate and of its time-stamp's TSA certificate
    /// (what makes B-LT, whatever was fetched).
    /// </summary>
    public bool LongTermData { get; init; }

    /// <summary>
    /// The PAdES baseline level the file gives this valid signature: B-B, B-T (signature time-stamp), B-LT (its
    /// revocation answers are in the DSS) or B-LTA (and a valid document time-stamp was added after it). Null for a
    /// document time-stamp itself, or an invalid signature.
    /// </summary>
    public string? Level { get; init; }

    /// <summary>Time from an RFC 3161 signature time-stamp in the CMS, if any (PAdES B-T).</summary>
    public DateTimeOffset? TimestampTime { get; init; }

    /// <summary>How much the signature covers: the whole file, a whole earlier revision, or an unclear range.</summary>
    public SignatureCoverage Coverage { get; init; } = SignatureCoverage.Unclear;

    /// <summary>Index of the revision the signed bytes end with (0 = original file); null when unclear.</summary>
    public int? SignedRevision { get; init; }

    /// <summary>Changes made after signing that signing does not allow (empty: none, or only allowed ones).</summary>
    public IReadOnlyList<RevisionChange> Modifications { get; init; } = [];

    public string? ErrorCode { get; init; }

    public string? Message { get; init; }
}

/// <summary>Stable codes in <see cref="PdfSignatureReport.ErrorCode"/>.</summary>
public static class SignatureErrorCodes
{
    public const string ByteRangeInvalid = "SIGNATURE_BYTERANGE_INVALID";
    public const string ContentsInvalid = "SIGNATURE_CONTENTS_INVALID";
    public const string NoCmsValidator = "SIGNATURE_NOT_CHECKED";
    public const string CoverageUnclear = "SIGNATURE_COVERAGE_UNCLEAR";
    public const string AlteredAfterSigning = "DOCUMENT_ALTERED_AFTER_SIGNING";
    public const string Ambiguous = "PDF_AMBIGUOUS";
    public const string CertificateRevoked = "CERT_REVOKED";
    public const string TimestampCertificateRevoked = "TIMESTAMP_CERT_REVOKED";
}

/// <summary>What part of the file a signature's bytes cover.</summary>
public enum SignatureCoverage
{
    Unclear,
    EntireRevision,
    EntireFile,
}
