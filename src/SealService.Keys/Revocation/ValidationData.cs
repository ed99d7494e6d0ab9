using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace SealService.Keys.Revocation;

/// <summary>What a validator needs years later, offline: the certificates, OCSP responses and CRLs (DER) of a signature.</summary>
public sealed record ValidationData(IReadOnlyList<X509Certificate> Certificates, IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<byte[]> Crls);

/// <summary>Where revocation answers come from: the certificate's own OCSP/CRL URLs, or a CA in this process.</summary>
public interface IRevocationClient
{
    /// <summary>A DER OCSPResponse for <paramref name="certificate"/>, or null when there is no responder for it.</summary>
    Task<byte[]?> OcspAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken);

    /// <summary>A DER CRL of <paramref name="issuer"/> covering <paramref name="certificate"/>, or null.</summary>
    Task<byte[]?> CrlAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken);
}

/// <summary>Collects a signature's validation data: for the signer and time-stamp chains, one OCSP answer per certificate (a CRL when no responder answers).</summary>
public static class ValidationDataCollector
{
    public static async Task<ValidationData> CollectAsync(byte[] cms, IRevocationClient client, IReadOnlyList<X509Certificate> anchors,
        CancellationToken cancellationToken = default)
    {
        var signed = new CmsSignedData(cms);
        var certificates = signed.GetCertificates().EnumerateMatches(null).ToList();
        foreach (SignerInformation signer in signed.GetSignerInfos().GetSigners())
        {
            if (signer.UnsignedAttributes?[PkcsObjectIdentifiers.IdAASignatureTimeStampToken] is { } attribute)
            {
                var token = new TimeStampToken(new CmsSignedData(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(attribute.AttrValues[0])));
                certificates.AddRange(token.GetCertificates().EnumerateMatches(null));
            }
        }

        certificates.AddRange(anchors);
        var distinct = certificates.Distinct().ToList();
        var ocsp = new List<byte[]>();
        var crls = new List<byte[]>();
        foreach (var certificate in distinct.Where(c => !c.SubjectDN.Equivalent(c.IssuerDN)))
        {
            var issuer = distinct.FirstOrDefault(c => c.SubjectDN.Equivalent(certificate.IssuerDN));
            if (issuer is null)
            {
                continue;
            }

            if (await client.OcspAsync(certificate, issuer, cancellationToken).ConfigureAwait(false) is { } response)
            {
                ocsp.Add(response);
            }
            else if (await client.CrlAsync(certificate, issuer, cancellationToken).ConfigureAwait(false) is { } crl && !crls.Any(c => c.AsSpan().SequenceEqual(crl)))
            {
                crls.Add(crl);
            }
        }

        return new ValidationData(distinct, ocsp, crls);
    }

    public static byte[] OcspRequest(X509Certificate certificate, X509Certificate issuer)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, certificate.SerialNumber));
        return generator.Generate().GetEncoded();
    }
}

/// <summary>Asks a <see cref="RevocationAuthority"/> of this process (the development CA) for the certificates it issued.</summary>
public sealed class LocalRevocationClient(RevocationAuthority authority) : IRevocationClient
{
    public async Task<byte[]?> OcspAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken) =>
        issuer.Equals(authority.Certificate)
            ? await authority.RespondAsync(ValidationDataCollector.OcspRequest(certificate, issuer), cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<byte[]?> CrlAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken) =>
        issuer.Equals(authority.Certificate) ? await authority.CreateCrlAsync(cancellationToken).ConfigureAwait(false) : null;
}

/// <summary>
/// Fetches from the URLs in the certificate (AIA OCSP, CRL distribution point) over HTTP, with size and time limits; a
/// certificate that names none is asked at the <paramref name="configured"/> URLs (the CA's own, from configuration).
/// </summary>
public sealed class HttpRevocationClient(HttpClient http, Pki.RevocationUrls? configured = null) : IRevocationClient
{
    public const int MaxResponseBytes = 4 << 20;

    public async Task<byte[]?> OcspAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken)
    {
        if ((Urls(certificate, X509Extensions.AuthorityInfoAccess).FirstOrDefault() ?? configured?.OcspUrl) is not { } url)
        {
            return null;
        }

        using var content = new ByteArrayContent(ValidationDataCollector.OcspRequest(certificate, issuer));
        content.Headers.ContentType = new("application/ocsp-request");
        using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false) is { } der && new OcspResp(der).Status == OcspRespStatus.Successful ? der : null;
    }

    public async Task<byte[]?> CrlAsync(X509Certificate certificate, X509Certificate issuer, CancellationToken cancellationToken)
    {
        if ((Urls(certificate, X509Extensions.CrlDistributionPoints).FirstOrDefault() ?? configured?.CrlUrl) is not { } url)
        {
            return null;
        }

        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength is > MaxResponseBytes)
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return bytes.Length is 0 or > MaxResponseBytes ? null : bytes;
    }

    /// <summary>http(s) URIs of an AIA (OCSP access method) or CRL distribution point extension.</summary>
    internal static IEnumerable<string> Urls(X509Certificate certificate, DerObjectIdentifier extension)
    {
        if (certificate.GetExtensionValue(extension) is not { } value)
        {
            return [];
        }

        var parsed = Asn1Object.FromByteArray(value.GetOctets());
        var names = extension.Equals(X509Extensions.AuthorityInfoAccess)
            ? AuthorityInformationAccess.GetInstance(parsed).GetAccessDescriptions()
                .Where(d => d.AccessMethod.Equals(X509ObjectIdentifiers.OcspAccessMethod)).Select(d => d.AccessLocation)
            : CrlDistPoint.GetInstance(parsed).GetDistributionPoints()
                .Select(p => p.DistributionPointName?.Name).OfType<GeneralNames>().SelectMany(n => n.GetNames());
        return names.Where(n => n.TagNo == GeneralName.UniformResourceIdentifier).Select(n => n.Name.ToString()!)
            .Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
    }
}
