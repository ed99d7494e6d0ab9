using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using CmsContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace SealService.Keys.Verification;

/// <summary>The trust half of the check: the signature time-stamp, the chain to a trusted root, and the signer's key usage.</summary>
public sealed partial class CmsSignatureVerifier
{
    private const int MaxSignedByMemo = 4096;

    // X509Certificate compares by its encoding, so equal certificates share an entry whatever the instance.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(X509Certificate Certificate, X509Certificate Issuer), bool> SignedByMemo = new();

    private (DateTimeOffset? Time, X509Certificate? Certificate) CheckTimestamp(SignerInfo signer, List<X509Certificate> cmsCertificates, List<VerificationError> errors)
    {
        var attribute = signer.UnsignedAttrs is null ? null : new AttributeTable(signer.UnsignedAttrs)[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        if (attribute is null)
        {
            if (options.RequireTimestamp)
            {
                errors.Add(new(VerificationCodes.TimestampMissing, "No signature time-stamp (PAdES B-T) is present."));
            }

            return (null, null);
        }

        try
        {
            var token = new TimeStampToken(new CmsSignedData(CmsContentInfo.GetInstance(attribute.AttrValues[0])));
            var tokenCerts = token.GetCertificates().EnumerateMatches(null).Select(c => CertificateCache.Get(c.GetEncoded())).ToList();
            var tsaCert = tokenCerts.Concat(cmsCertificates).FirstOrDefault(c => token.SignerID.Match(c))
                ?? throw new TspValidationException("the TSA certificate is not in the token");
            token.Validate(tsaCert);

            var imprintAlgorithm = token.TimeStampInfo.MessageImprintAlgOid;
            var expected = DigestUtilities.CalculateDigest(imprintAlgorithm, signer.Signature.GetOctets());
            if (!expected.AsSpan().SequenceEqual(token.TimeStampInfo.GetMessageImprintDigest()))
            {
                errors.Add(new(VerificationCodes.TimestampImprintMismatch, "The time-stamp does not cover this signature value."));
            }

            var time = new DateTimeOffset(DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc));
            CheckChain(tsaCert, tokenCerts.Concat(cmsCertificates).ToList(), time, errors, VerificationCodes.TimestampChainUntrusted);
            return (time, tsaCert);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            errors.Add(new(VerificationCodes.TimestampInvalid, $"The signature time-stamp does not verify: {ex.Message}"));
            return (null, null);
        }
    }

    private void CheckChain(X509Certificate leaf, List<X509Certificate> pool, DateTimeOffset at, List<VerificationError> errors, string untrustedCode)
    {
        var current = leaf;
        for (var depth = 0; depth < 8; depth++)
        {
            if (!ValidAt(current, at))
            {
                errors.Add(new(VerificationCodes.CertificateNotValidAtTime, $"Certificate '{current.SubjectDN}' is not valid at {at:u}."));
            }

            if (options.TrustedRoots.Any(r => r.Equals(current)))
            {
                return;
            }

            var issuer = options.TrustedRoots.Concat(pool).FirstOrDefault(c => !c.Equals(current) && c.SubjectDN.Equivalent(current.IssuerDN) && SignedBy(current, c));
            if (issuer is null)
            {
                errors.Add(new(untrustedCode, $"No trusted issuer found for '{current.SubjectDN}'."));
                return;
            }

            if (issuer.GetBasicConstraints() < 0)
            {
                errors.Add(new(VerificationCodes.IssuerNotCa, $"Issuer '{issuer.SubjectDN}' is not a CA."));
                return;
            }

            current = issuer;
        }

        errors.Add(new(untrustedCode, "The certificate chain is too long."));
    }

    private static bool ValidAt(X509Certificate certificate, DateTimeOffset at) =>
        certificate.NotBefore <= at.UtcDateTime && at.UtcDateTime <= certificate.NotAfter;

    /// <summary>Whether the issuer's key signed the certificate: a fact of the two encodings, so it is remembered (bounded).</summary>
    internal static bool SignedBy(X509Certificate certificate, X509Certificate issuer)
    {
        if (SignedByMemo.TryGetValue((certificate, issuer), out var known))
        {
            return known;
        }

        bool result;
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            result = true;
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            result = false;
        }

        if (SignedByMemo.Count >= MaxSignedByMemo)
        {
            SignedByMemo.Clear();
        }

        SignedByMemo[(certificate, issuer)] = result;
        return result;
    }

    private void CheckKeyUsage(X509Certificate signerCert, List<VerificationError> errors)
    {
        if (options.RequireSealCertificate && Pki.SealCertificateProfile.Problem(signerCert) is { } notSeal)
        {
            errors.Add(new(VerificationCodes.NotASealCertificate, $"The signer is not a seal certificate: {notSeal}."));
        }

        var usage = signerCert.GetKeyUsage();
        if (usage is not null && !usage[0] && !usage[1])
        {
            errors.Add(new(VerificationCodes.KeyUsageInvalid, "The signer's certificate allows neither digitalSignature nor nonRepudiation."));
        }
    }
}
