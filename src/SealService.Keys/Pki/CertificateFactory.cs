using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Pki;

/// <summary>What a certificate is for; decides its extensions.</summary>
public enum CertificateProfile
{
    RootCa,
    IssuingCa,
    TimeStamping,
    Seal,
    Ledger,
}

/// <summary>Where relying parties find a certificate's revocation status: the CRL distribution point and the OCSP responder.</summary>
public sealed record RevocationUrls(string? CrlUrl, string? OcspUrl)
{
    public static RevocationUrls? Of(string? crlUrl, string? ocspUrl) =>
        string.IsNullOrWhiteSpace(crlUrl) && string.IsNullOrWhiteSpace(ocspUrl) ? null : new(NullIfEmpty(crlUrl), NullIfEmpty(ocspUrl));

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>X.509 v3 certificates with the extensions poppler/NSS and RFC 3161 expect.</summary>
public static class CertificateFactory
{
    public static X509Certificate Issue(
        CertificateProfile profile,
        X509Name subject,
        AsymmetricKeyParameter subjectPublicKey,
        X509Name issuer,
        AsymmetricKeyParameter issuerPublicKey,
        ISignatureFactory issuerSigner,
        DateTime notBefore,
        DateTime notAfter,
        RevocationUrls? revocation = null)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(1, SecureRandom.GetNextBytes(new SecureRandom(), 16)));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(subjectPublicKey);

        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyId(subjectPublicKey)));
        if (profile != CertificateProfile.RootCa)
        {
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(KeyId(issuerPublicKey)));
        }

        switch (profile)
        {
            case CertificateProfile.RootCa:
                generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
                break;
            case CertificateProfile.IssuingCa:
                generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
                break;
            case CertificateProfile.TimeStamping:
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
                generator.AddExtension(X509Extensions.ExtendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeID.id_kp_timeStamping));
                break;
            case CertificateProfile.Seal:
                // No EKU: NSS then accepts it for document (email-signer) use. The policy marks it as a seal certificate.
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
                generator.AddExtension(X509Extensions.CertificatePolicies, false,
                    new CertificatePolicies(new PolicyInformation(Cms.SealServiceOids.SealPolicy)));
                break;
            case CertificateProfile.Ledger:
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
                break;
        }

        if (revocation?.CrlUrl is { } crl)
        {
            var point = new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, crl))), null, null);
            generator.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint([point]));
        }

        if (revocation?.OcspUrl is { } ocsp)
        {
            generator.AddExtension(X509Extensions.AuthorityInfoAccess, false,
                new AuthorityInformationAccess(X509ObjectIdentifiers.OcspAccessMethod, new GeneralName(GeneralName.UniformResourceIdentifier, ocsp)));
        }

        return generator.Generate(issuerSigner);
    }

    /// <summary>RFC 5280 method 1: SHA-1 of the subjectPublicKey bits.</summary>
    public static byte[] KeyId(AsymmetricKeyParameter publicKey)
    {
        var info = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey);
        return System.Security.Cryptography.SHA1.HashData(info.PublicKey.GetBytes());
    }

    /// <summary>C=CN, O, OU (development marker), CN — UTF-8 so Chinese seal text reads back exactly.</summary>
    public static X509Name Name(string commonName, string organisation, string? organisationalUnit)
    {
        var oids = new List<DerObjectIdentifier> { X509Name.C, X509Name.O };
        var values = new List<string> { "CN", organisation };
        if (organisationalUnit is not null)
        {
            oids.Add(X509Name.OU);
            values.Add(organisationalUnit);
        }

        oids.Add(X509Name.CN);
        values.Add(commonName);
        return new X509Name(oids, values);
    }
}
