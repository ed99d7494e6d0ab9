using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using SealService.Keys.Signing;

namespace SealService.Keys.Revocation;

/// <summary>
/// A CA's revocation answers, signed with the CA's own key through the signing seam: CRLs (RFC 5280) and OCSP
/// responses (RFC 6960, CA-signed, nonce echoed). Statuses come from the registry, so a seal's revocation is the
/// certificate's at once; answers are valid for <see cref="Validity"/> and never cached here.
/// </summary>
public sealed class RevocationAuthority(IRawSigner ca, ICertificateStatusSource source, TimeProvider? clock = null)
{
    /// <summary>Most requests carry one certificate; a request is refused above this.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    private const int MaxCertificatesPerRequest = 16;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public TimeSpan Validity { get; init; } = TimeSpan.FromHours(24);

    public X509Certificate Certificate => ca.Certificate;

    public async Task<byte[]> CreateCrlAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(ca.Certificate.SubjectDN);
        generator.SetThisUpdate(now);
        generator.SetNextUpdate(now + Validity);
        foreach (var (serial, status) in await source.RevokedAsync(cancellationToken).ConfigureAwait(false))
        {
            generator.AddCrlEntry(serial, status.RevokedAt!.Value.UtcDateTime, (int)status.Reason);
        }

        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(Pki.CertificateFactory.KeyId(ca.Certificate.GetPublicKey())));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(now.Ticks)));
        return generator.Generate(new RawSignerSignatureFactory(ca)).GetEncoded();
    }

    /// <summary>The DER OCSPResponse for a DER OCSPRequest; a malformed request gets the malformedRequest status.</summary>
    public async Task<byte[]> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        OcspReq parsed;
        try
        {
            if (request.Length is 0 or > MaxRequestBytes)
            {
                return Failure(OcspRespStatus.MalformedRequest);
            }

            parsed = new OcspReq(request.ToArray());
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or Asn1Exception or OcspException)
        {
            return Failure(OcspRespStatus.MalformedRequest);
        }

        var ids = parsed.GetRequestList();
        if (ids.Length is 0 or > MaxCertificatesPerRequest)
        {
            return Failure(OcspRespStatus.MalformedRequest);
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        var generator = new BasicOcspRespGenerator(new RespID(ca.Certificate.SubjectDN));
        foreach (var item in ids)
        {
            var id = item.GetCertID();
            CertificateStatus? status = new UnknownStatus();
            if (MatchesIssuer(id))
            {
                var known = await source.FindAsync(id.SerialNumber, cancellationToken).ConfigureAwait(false);
                status = known switch
                {
                    null => new UnknownStatus(),
                    { IsRevoked: false } => CertificateStatus.Good,
                    _ => new RevokedStatus(known.RevokedAt!.Value.UtcDateTime, (int)known.Reason),
                };
            }

            generator.AddResponse(id, status, now, now + Validity, null);
        }

        if (parsed.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce) is { } nonce)
        {
            generator.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = nonce,
            }));
        }

        var basic = generator.Generate(new RawSignerSignatureFactory(ca), [ca.Certificate], now);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    private bool MatchesIssuer(CertificateID id)
    {
        try
        {
            return id.MatchesIssuer(ca.Certificate);
        }
        catch (OcspException)
        {
            return false; // a hash algorithm we do not compute
        }
    }

    private static byte[] Failure(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();
}
