using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Revocation;

/// <summary>What a revocation check relied on and found, for the verification report.</summary>
public sealed record RevocationFinding(string Status, string Source, DateTimeOffset? RevokedAt = null, DateTimeOffset? ProducedAt = null)
{
    public const string Good = "good";
    public const string Revoked = "revoked";
    public const string RevokedAfterSigning = "revoked-after-signing";
    public const string NotChecked = "not-checked";

    public override string ToString() => Status switch
    {
        Good => $"not revoked ({Source}, produced {ProducedAt:u})",
        RevokedAfterSigning => $"revoked at {RevokedAt:u}, after the signing time: the signature stays valid ({Source})",
        Revoked => $"revoked at {RevokedAt:u}, before the signing time ({Source})",
        _ => $"revocation not checked: {Source}",
    };
}

/// <summary>
/// Offline revocation of a signer certificate at the signing time, from the answers a document carries (its DSS):
/// an OCSP answer signed by the issuing CA (or by a responder it certified for OCSP signing), else a CRL of that CA.
/// A certificate revoked after the signing time leaves the signature valid, with a note; revoked at or before it
/// invalidates the signature. No answer: "not checked", never a silent good.
/// </summary>
public static class RevocationCheck
{
    public static RevocationFinding Evaluate(byte[] cms, DateTimeOffset signingTime, IReadOnlyList<byte[]> ocspResponses, IReadOnlyList<byte[]> crls,
        IReadOnlyList<X509Certificate> extraCertificates)
    {
        CmsSignedData signed;
        try
        {
            signed = new CmsSignedData(cms);
        }
        catch (CmsException)
        {
            return new(RevocationFinding.NotChecked, "the CMS cannot be read");
        }

        var certificates = signed.GetCertificates().EnumerateMatches(null).Concat(extraCertificates).Distinct().ToList();
        var signerId = signed.GetSignerInfos().GetSigners().Cast<SignerInformation>().FirstOrDefault()?.SignerID;
        var signer = certificates.FirstOrDefault(c => signerId?.Match(c) == true);
        var issuer = signer is null ? null : certificates.FirstOrDefault(c => c.SubjectDN.Equivalent(signer.IssuerDN) && Verification.CmsSignatureVerifier.SignedBy(signer, c));
        if (signer is null || issuer is null)
        {
            return new(RevocationFinding.NotChecked, "the signer's issuer is not in the document");
        }

        foreach (var der in ocspResponses)
        {
            if (FromOcsp(der, signer, issuer, signingTime) is { } finding)
            {
                return finding;
            }
        }

        foreach (var der in crls)
        {
            if (FromCrl(der, signer, issuer, signingTime) is { } finding)
            {
                return finding;
            }
        }

        return new(RevocationFinding.NotChecked, ocspResponses.Count + crls.Count == 0
            ? "the document carries no OCSP answer or CRL"
            : "no embedded OCSP answer or CRL covers the signer certificate");
    }

    private static RevocationFinding? FromOcsp(byte[] der, X509Certificate signer, X509Certificate issuer, DateTimeOffset signingTime)
    {
        try
        {
            if (new OcspResp(der) is not { Status: OcspRespStatus.Successful } response || response.GetResponseObject() is not BasicOcspResp basic
                || !SignedByIssuer(basic, issuer))
            {
                return null;
            }

            foreach (var single in basic.Responses)
            {
                var id = single.GetCertID();
                if (!id.SerialNumber.Equals(signer.SerialNumber) || !id.MatchesIssuer(issuer))
                {
                    continue;
                }

                var produced = new DateTimeOffset(DateTime.SpecifyKind(basic.ProducedAt, DateTimeKind.Utc));
                return single.GetCertStatus() switch
                {
                    null => new(RevocationFinding.Good, "OCSP answer in the document", ProducedAt: produced),
                    RevokedStatus r => Revoked(new DateTimeOffset(DateTime.SpecifyKind(r.RevocationTime, DateTimeKind.Utc)), signingTime, "OCSP answer in the document", produced),
                    _ => null, // unknown: look further
                };
            }
        }
        catch (Exception e) when (e is OcspException or IOException or ArgumentException or InvalidCastException)
        {
        }

        return null;
    }

    private static RevocationFinding? FromCrl(byte[] der, X509Certificate signer, X509Certificate issuer, DateTimeOffset signingTime)
    {
        try
        {
            var crl = new X509CrlParser().ReadCrl(der);
            if (crl is null || !crl.IssuerDN.Equivalent(issuer.SubjectDN))
            {
                return null;
            }

            crl.Verify(issuer.GetPublicKey());
            var produced = new DateTimeOffset(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc));
            return crl.GetRevokedCertificate(signer.SerialNumber) is { } entry
                ? Revoked(new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc)), signingTime, "CRL in the document", produced)
                : new(RevocationFinding.Good, "CRL in the document", ProducedAt: produced);
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.GeneralSecurityException or IOException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    private static RevocationFinding Revoked(DateTimeOffset at, DateTimeOffset signingTime, string source, DateTimeOffset produced) =>
        new(at > signingTime ? RevocationFinding.RevokedAfterSigning : RevocationFinding.Revoked, source, at, produced);

    /// <summary>The issuing CA signed the answer itself, or a responder certificate it issued with the OCSP-signing purpose.</summary>
    private static bool SignedByIssuer(BasicOcspResp basic, X509Certificate issuer)
    {
        if (basic.Verify(issuer.GetPublicKey()))
        {
            return true;
        }

        return basic.GetCerts().Any(responder => Verification.CmsSignatureVerifier.SignedBy(responder, issuer)
            && responder.GetExtendedKeyUsage()?.Contains(KeyPurposeID.id_kp_OCSPSigning) == true
            && basic.Verify(responder.GetPublicKey()));
    }
}
