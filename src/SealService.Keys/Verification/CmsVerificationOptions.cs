using Org.BouncyCastle.X509;

namespace SealService.Keys.Verification;

public sealed class CmsVerificationOptions
{
    /// <summary>Trust anchors (e.g. certs-dev/root-ca.pem). Chains must end in one of these.</summary>
    public required IReadOnlyList<X509Certificate> TrustedRoots { get; init; }

    /// <summary>Fail when there is no signature time-stamp (PAdES B-T and above).</summary>
    public bool RequireTimestamp { get; init; }

    /// <summary>PAdES baseline rules: signing-certificate-v2 required, signing-time forbidden.</summary>
    public bool EnforcePadesBaseline { get; init; } = true;

    /// <summary>
    /// The signer must hold a seal certificate (<see cref="Pki.SealCertificateProfile"/>): true for document seals, false for
    /// other detached CMS such as audit manifests signed by the ledger key.
    /// </summary>
    public bool RequireSealCertificate { get; init; }

    public string Sm2DistinguishingId { get; init; } = Signing.Sm2.DefaultId;

    /// <summary>Time certificates must be valid at when no trusted time-stamp says otherwise (default: now).</summary>
    public DateTimeOffset? ValidationTime { get; init; }
}
