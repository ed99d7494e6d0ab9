using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using SealService.Keys.Cms;

namespace SealService.Keys.Pki;

/// <summary>
/// What makes a certificate a seal certificate: the SealService seal policy (<see cref="SealServiceOids.SealCertificatePolicy"/>),
/// key usage digitalSignature and nonRepudiation, not a CA, and no time-stamping purpose. TSA, ledger, CA and any other
/// certificates fail it, so they can neither sign nor verify as a seal.
/// </summary>
public static class SealCertificateProfile
{
    /// <summary>Null when <paramref name="certificate"/> is a seal certificate, else why not.</summary>
    public static string? Problem(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            if (certificate.GetBasicConstraints() >= 0)
            {
                return "it is a CA certificate";
            }

            var usage = certificate.GetKeyUsage();
            if (usage is null || !usage[0] || !usage[1])
            {
                return "its key usage lacks digitalSignature and nonRepudiation";
            }

            if (certificate.GetExtendedKeyUsage()?.Contains(KeyPurposeID.id_kp_timeStamping) == true)
            {
                return "it is a time-stamping certificate";
            }

            var policies = certificate.GetExtensionValue(X509Extensions.CertificatePolicies);
            if (policies is null)
            {
                return "it carries no certificate policy";
            }

            var list = CertificatePolicies.GetInstance(Asn1Object.FromByteArray(policies.GetOctets()));
            return list.GetPolicyInformation().Any(p => p.PolicyIdentifier.Equals(SealServiceOids.SealPolicy))
                ? null
                : $"it lacks the seal certificate policy {SealServiceOids.SealCertificatePolicy}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException
            || e.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true)
        {
            return "its extensions are malformed";
        }
    }

    public static bool IsSealCertificate(X509Certificate certificate) => Problem(certificate) is null;

    /// <summary>Throws <see cref="KeyErrorCodes.NotASealCertificate"/> unless the certificate is a seal certificate.</summary>
    public static void Require(X509Certificate certificate)
    {
        if (Problem(certificate) is { } why)
        {
            throw new KeysException(KeyErrorCodes.NotASealCertificate,
                $"'{certificate.SubjectDN}' is not a seal certificate: {why}. Only seal certificates may sign as a seal.");
        }
    }
}
