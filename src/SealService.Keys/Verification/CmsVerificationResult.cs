using Org.BouncyCastle.X509;

namespace SealService.Keys.Verification;

/// <summary>One failed check, with a stable code (e.g. CMS_MESSAGE_DIGEST_MISMATCH).</summary>
public sealed record VerificationError(string Code, string Message);

/// <summary>Outcome of <see cref="CmsSignatureVerifier"/>: valid only when no check failed.</summary>
public sealed record CmsVerificationResult(
    IReadOnlyList<VerificationError> Errors,
    SealKeyAlgorithm? Algorithm,
    X509Certificate? SigningCertificate,
    DateTimeOffset? TimestampTime,
    X509Certificate? TimestampCertificate)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Signer's distinguished name (C, O, OU, CN) as text.</summary>
    public string? SignerSubject => SigningCertificate?.SubjectDN.ToString();

    /// <summary>Signer's CN: the seal text for seal certificates.</summary>
    public string? SignerCommonName =>
        SigningCertificate?.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN).LastOrDefault();

    public bool HasTimestamp => TimestampTime is not null;

    public bool HasError(string code) => Errors.Any(e => e.Code == code);
}

/// <summary>Stable codes of verification failures.</summary>
public static class VerificationCodes
{
    public const string Malformed = "CMS_MALFORMED";
    public const string NotDetached = "CMS_NOT_DETACHED";
    public const string SignerCount = "CMS_SIGNER_COUNT";
    public const string AlgorithmUnsupported = "CMS_ALGORITHM_UNSUPPORTED";
    public const string AlgorithmWeak = "CMS_ALGORITHM_WEAK";
    public const string SignerCertificateMissing = "CMS_SIGNER_CERTIFICATE_MISSING";
    public const string SignedAttributesMissing = "CMS_SIGNED_ATTRIBUTES_MISSING";
    public const string ContentTypeInvalid = "CMS_CONTENT_TYPE_INVALID";
    public const string MessageDigestMismatch = "CMS_MESSAGE_DIGEST_MISMATCH";
    public const string SigningTimePresent = "CMS_SIGNING_TIME_PRESENT";
    public const string SigningCertificateMissing = "CMS_SIGNING_CERTIFICATE_V2_MISSING";
    public const string SigningCertificateMismatch = "CMS_SIGNING_CERTIFICATE_V2_MISMATCH";
    public const string SignatureInvalid = "CMS_SIGNATURE_INVALID";
    public const string ChainUntrusted = "CERT_CHAIN_UNTRUSTED";
    public const string CertificateNotValidAtTime = "CERT_NOT_VALID_AT_TIME";
    public const string IssuerNotCa = "CERT_ISSUER_NOT_CA";
    public const string KeyUsageInvalid = "CERT_KEY_USAGE_INVALID";
    public const string NotASealCertificate = KeyErrorCodes.NotASealCertificate;
    public const string TimestampMissing = "TST_MISSING";
    public const string TimestampInvalid = "TST_INVALID";
    public const string TimestampImprintMismatch = "TST_IMPRINT_MISMATCH";
    public const string TimestampChainUntrusted = "TST_CHAIN_UNTRUSTED";
}
