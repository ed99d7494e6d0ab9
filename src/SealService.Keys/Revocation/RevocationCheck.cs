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

    /// <summary>The answer was fetched at verification time, not read from the document.</summary>
    public bool Fetched { get; init; }

    public override string ToString() => Status switch
    {
        Good => $"not revoked ({Source}, produced {ProducedAt:u})",
        RevokedAfterSigning => $"revoked at {RevokedAt:u}, after the signing time: the signature stays valid ({Source})",
        Revoked => $"revoked at {RevokedAt:u}, before the signing time ({Source})",
        _ => $"revocation not checked: {Source}",
    };
}

/// <summary>
/// Revocation of a signer certificate at the signing time, from the answers a document carries (its DSS), or fetched:
/// an OCSP answer signed by the issuing CA (or by a responder it certified for OCSP signing), else a CRL of that CA.
/// A certificate revoked after the signing time leaves the signature valid, with a note; revoked at or before it
/// invalidates the signature. No answer: "not checked", never a silent good.
/// </summary>
public static class RevocationCheck
{
    public const string InDocument = "in the document";
    public const string Fetched = "fetched now";

    public static RevocationFinding Evaluate(byte[] cms, DateTimeOffset signingTime, IReadOnlyList<byte[]> ocspResponses, IReadOnlyList<byte[]> crls,
        IReadOnlyList<X509Certificate> extraCertificates, string origin = InDocument)
    {
        if (SignerAndIssuer(cms, extraCertificates) is not { } pair)
        {
            return new(RevocationFinding.NotChecked, "the signer's issuer is not in the document");
        }

        var (signer, issuer) = pair;
        foreach (var der in ocspResponses)
        {
            if (FromOcsp(der, signer, issuer, signingTime, origin) is { } finding)
            {
                return finding with { Fetched = origin == Fetched };
            }
        }

        foreach (var der in crls)
        {
            if (FromCrl(der, signer, issuer, signingTime, origin) is { } finding)
            {
                return finding with { Fetched = origin == Fetched };
            }
        }

        return new(RevocationFinding.NotChecked, ocspResponses.Count + crls.Count == 0
            ? origin == InDocument ? "the document carries no OCSP answer or CRL" : "no OCSP answer or CRL could be fetched"
            : $"no OCSP answer or CRL {origin} covers the signer certificate");
    }

    /// <summary>
    /// Revocation at the signing time from an answer fetched now (OCSP, else a CRL), which also sees a revocation after
    /// signing; "not checked" when no responder answers.
    /// </summary>
    public static async Task<RevocationFinding> FetchAsync(byte[] cms, DateTimeOffset signingTime, IReadOnlyList<X509Certificate> extraCertificates,
        IRevocationClient online, CancellationToken cancellationToken)
    {
        if (SignerAndIssuer(cms, extraCertificates) is not var (signer, issuer))
        {
            return new(RevocationFinding.NotChecked, "the signer's issuer is not in the document");
        }

        var ocsp = await FetchAsync(() => online.OcspAsync(signer, issuer, cancellationToken)).ConfigureAwait(false);
        var found = Evaluate(cms, signingTime, ocsp, [], extraCertificates, Fetched);
        return found.Status != RevocationFinding.NotChecked
            ? found
            : Evaluate(cms, signingTime, [], await FetchAsync(() => online.CrlAsync(signer, issuer, cancellationToken)).ConfigureAwait(false), extraCertificates, Fetched);
    }

    /// <summary>The signature time-stamp token inside a CMS (its own CMS bytes) and its time, or null when it has none.</summary>
    public static (byte[] Token, DateTimeOffset Time)? SignatureTimestamp(byte[] cms)
    {
        try
        {
            var signer = new CmsSignedData(cms).GetSignerInfos().GetSigners().Cast<SignerInformation>().FirstOrDefault();
            if (signer?.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken] is not { } attribute)
            {
                return null;
            }

            var token = new Org.BouncyCastle.Tsp.TimeStampToken(new CmsSignedData(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(attribute.AttrValues[0])));
            return (token.GetEncoded(), new DateTimeOffset(DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc)));
        }
        catch (Exception e) when (e is CmsException or Org.BouncyCastle.Tsp.TspException or IOException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>The CMS's signer certificate and the certificate that issued it (CMS certificates plus the extra ones), or null.</summary>
    public static (X509Certificate Signer, X509Certificate Issuer)? SignerAndIssuer(byte[] cms, IReadOnlyList<X509Certificate> extraCertificates)
    {
        CmsSignedData signed;
        try
        {
            signed = new CmsSignedData(cms);
        }
        catch (CmsException)
        {
            return null;
        }

        var certificates = signed.GetCertificates().EnumerateMatches(null).Concat(extraCertificates).Distinct().ToList();
        var signerId = signed.GetSignerInfos().GetSigners().Cast<SignerInformation>().FirstOrDefault()?.SignerID;
        var signer = certificates.FirstOrDefault(c => signerId?.Match(c) == true);
        var issuer = signer is null ? null : certificates.FirstOrDefault(c => c.SubjectDN.Equivalent(signer.IssuerDN) && Verification.CmsSignatureVerifier.SignedBy(signer, c));
        return signer is null || issuer is null ? null : (signer, issuer);
    }

    /// <summary>An unreachable responder is no answer (the embedded data still counts), never a verification failure.</summary>
    private static async Task<IReadOnlyList<byte[]>> FetchAsync(Func<Task<byte[]?>> fetch)
    {
        try
        {
            return await fetch().ConfigureAwait(false) is { } der ? [der] : [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or OcspException or ArgumentException)
        {
            return [];
        }
    }

    private static RevocationFinding? FromOcsp(byte[] der, X509Certificate signer, X509Certificate issuer, DateTimeOffset signingTime, string origin)
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
                    null => new(RevocationFinding.Good, $"OCSP answer {origin}", ProducedAt: produced),
                    RevokedStatus r => Revoked(new DateTimeOffset(DateTime.SpecifyKind(r.RevocationTime, DateTimeKind.Utc)), signingTime, $"OCSP answer {origin}", produced),
                    _ => null, // unknown: look further
                };
            }
        }
        catch (Exception e) when (e is OcspException or IOException or ArgumentException or InvalidCastException)
        {
        }

        return null;
    }

    private static RevocationFinding? FromCrl(byte[] der, X509Certificate signer, X509Certificate issuer, DateTimeOffset signingTime, string origin)
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
                ? Revoked(new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc)), signingTime, $"CRL {origin}", produced)
                : new(RevocationFinding.Good, $"CRL {origin}", ProducedAt: produced);
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
