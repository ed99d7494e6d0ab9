using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>The dev CA's CRLs and OCSP answers, read back by BouncyCastle and judged by openssl over real HTTP.</summary>
[Collection(PkiCollection.Name)]
public sealed class RevocationTests(PkiFixture pki) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-revocation-").FullName;
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Statuses _statuses = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Ocsp_answers_good_then_revoked_with_the_time_then_hold_and_unknown()
    {
        var (seal, issuer) = Certificates(SealKeyAlgorithm.Rsa);
        using var ca = pki.Pki.OpenIssuingCa();
        var authority = new RevocationAuthority(ca, _statuses, _clock);

        var good = Single(await authority.RespondAsync(Request(issuer, seal.SerialNumber, nonce: [1, 2, 3])), ca.Certificate, out var basic);
        Assert.Null(good.GetCertStatus());
        Assert.Equal(new DerOctetString(new byte[] { 1, 2, 3 }), basic.GetExtensionParsedValue(OcspObjectIdentifiers.PkixOcspNonce) is Asn1OctetString n ? new DerOctetString(n.GetOctets()) : null);

        var revokedAt = Now.AddHours(-2);
        _statuses.Set(seal.SerialNumber, new RevocationStatus(revokedAt, RevocationReason.KeyCompromise));
        var revoked = Assert.IsType<RevokedStatus>(Single(await authority.RespondAsync(Request(issuer, seal.SerialNumber)), ca.Certificate, out _).GetCertStatus());
        Assert.Equal(revokedAt.UtcDateTime, revoked.RevocationTime);
        Assert.Equal((int)RevocationReason.KeyCompromise, revoked.RevocationReason);

        _statuses.Set(seal.SerialNumber, new RevocationStatus(revokedAt, RevocationReason.CertificateHold));
        var held = Assert.IsType<RevokedStatus>(Single(await authority.RespondAsync(Request(issuer, seal.SerialNumber)), ca.Certificate, out _).GetCertStatus());
        Assert.Equal(CrlReason.CertificateHold, held.RevocationReason);

        Assert.IsType<UnknownStatus>(Single(await authority.RespondAsync(Request(issuer, BigInteger.ValueOf(424242))), ca.Certificate, out _).GetCertStatus());
        Assert.IsType<UnknownStatus>(Single(await authority.RespondAsync(Request(seal, seal.SerialNumber)), ca.Certificate, out _).GetCertStatus()); // another issuer
        Assert.Equal(OcspRespStatus.MalformedRequest, new OcspResp(await authority.RespondAsync("not ocsp"u8.ToArray())).Status);
    }

    [Fact]
    public async Task The_crl_lists_revoked_certificates_with_their_time_and_reason_and_verifies()
    {
        var (seal, _) = Certificates(SealKeyAlgorithm.Ecdsa);
        using var ca = pki.Pki.OpenIssuingCa();
        _statuses.Set(seal.SerialNumber, new RevocationStatus(Now.AddDays(-1), RevocationReason.CessationOfOperation));
        var crl = new X509CrlParser().ReadCrl(await new RevocationAuthority(ca, _statuses, _clock).CreateCrlAsync());

        crl.Verify(ca.Certificate.GetPublicKey());
        Assert.Equal(Now.UtcDateTime, crl.ThisUpdate);
        Assert.Equal(Now.AddHours(24).UtcDateTime, crl.NextUpdate!.Value);
        var entry = crl.GetRevokedCertificate(seal.SerialNumber);
        Assert.NotNull(entry);
        Assert.Equal(Now.AddDays(-1).UtcDateTime, entry.RevocationDate);
        Assert.True(crl.IsRevoked(seal));

        var path = Path.Combine(_dir, "issuing.crl");
        await File.WriteAllBytesAsync(path, crl.GetEncoded());
        var chain = Path.Combine(_dir, "chain.pem");
        await File.WriteAllTextAsync(chain, DevPki.ToPem(pki.Pki.IssuingCertificate) + DevPki.ToPem(pki.Pki.RootCertificate));
        var openssl = ExternalTools.Run("openssl", "crl", "-inform", "DER", "-in", path, "-CAfile", chain, "-noout", "-text");
        Assert.True(openssl.ExitCode == 0, openssl.All);
        Assert.Contains("verify OK", openssl.All);
        Assert.Contains("Cessation Of Operation", openssl.All);
    }

    [Fact]
    public async Task Openssl_asks_the_responder_over_http_and_reads_good_then_revoked()
    {
        var (seal, issuer) = Certificates(SealKeyAlgorithm.Rsa);
        using var ca = pki.Pki.OpenIssuingCa();
        var authority = new RevocationAuthority(ca, _statuses, TimeProvider.System);
        using var responder = new LoopbackTsa(async (body, response, ct) =>
        {
            var answer = await authority.RespondAsync(body, ct);
            response.ContentType = "application/ocsp-response";
            await response.OutputStream.WriteAsync(answer, ct);
        });
        var sealPem = Path.Combine(_dir, "seal.pem");
        var issuerPem = Path.Combine(_dir, "issuer.pem");
        await File.WriteAllTextAsync(sealPem, DevPki.ToPem(seal));
        await File.WriteAllTextAsync(issuerPem, DevPki.ToPem(issuer));
        string[] ask = ["ocsp", "-issuer", issuerPem, "-cert", sealPem, "-url", responder.Url, "-CAfile", pki.RootPem, "-VAfile", issuerPem];

        var good = ExternalTools.Run("openssl", ask);
        Assert.True(good.ExitCode == 0, good.All);
        Assert.Contains("Response verify OK", good.All);
        Assert.Contains(": good", good.All);

        _statuses.Set(seal.SerialNumber, new RevocationStatus(DateTimeOffset.UtcNow.AddMinutes(-5), RevocationReason.KeyCompromise));
        var revoked = ExternalTools.Run("openssl", ask);
        Assert.Contains(": revoked", revoked.All);
        Assert.Contains("Reason: keyCompromise", revoked.All);
    }

    [Fact]
    public void Seal_certificates_carry_the_crl_and_ocsp_urls_when_given()
    {
        var path = pki.Pki.IssueSealCertificate("seal-with-urls-" + Guid.NewGuid().ToString("N")[..6], PkiFixture.SealText, PkiFixture.Organisation,
            revocation: new RevocationUrls("http://127.0.0.1:5080/pki/crl", "http://127.0.0.1:5080/pki/ocsp"));
        using var signer = Signing.SoftwareSigner.FromPkcs12(path, DevPki.DefaultPassphrase);
        var text = ExternalTools.Run("openssl", "x509", "-noout", "-text", "-in", WritePem(signer.Certificate)).All;
        Assert.Contains("URI:http://127.0.0.1:5080/pki/crl", text);
        Assert.Contains("OCSP - URI:http://127.0.0.1:5080/pki/ocsp", text);

        using var plain = Signing.SoftwareSigner.FromPkcs12(pki.SealPath(SealKeyAlgorithm.Rsa), DevPki.DefaultPassphrase);
        Assert.Null(plain.Certificate.GetExtensionValue(X509Extensions.AuthorityInfoAccess));
    }

    private string WritePem(X509Certificate certificate)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, DevPki.ToPem(certificate));
        return path;
    }

    private (X509Certificate Seal, X509Certificate Issuer) Certificates(SealKeyAlgorithm algorithm)
    {
        using var signer = Signing.SoftwareSigner.FromPkcs12(pki.SealPath(algorithm), DevPki.DefaultPassphrase);
        return (signer.Certificate, pki.Pki.IssuingCertificate);
    }

    private static byte[] Request(X509Certificate issuer, BigInteger serial, byte[]? nonce = null)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, serial));
        if (nonce is not null)
        {
            generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new(false, new DerOctetString(new DerOctetString(nonce))),
            }));
        }

        return generator.Generate().GetEncoded();
    }

    private static SingleResp Single(byte[] response, X509Certificate ca, out BasicOcspResp basic)
    {
        var parsed = new OcspResp(response);
        Assert.Equal(OcspRespStatus.Successful, parsed.Status);
        basic = (BasicOcspResp)parsed.GetResponseObject();
        Assert.True(basic.Verify(ca.GetPublicKey()));
        return Assert.Single(basic.Responses);
    }

    private sealed class Statuses : ICertificateStatusSource
    {
        private readonly ConcurrentDictionary<BigInteger, RevocationStatus> _revoked = new();

        public void Set(BigInteger serial, RevocationStatus status) => _revoked[serial] = status;

        public Task<RevocationStatus?> FindAsync(BigInteger serialNumber, CancellationToken cancellationToken) =>
            Task.FromResult<RevocationStatus?>(_revoked.TryGetValue(serialNumber, out var s) ? s
                : serialNumber.Equals(BigInteger.ValueOf(424242)) ? null : RevocationStatus.Good);

        public Task<IReadOnlyList<(BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(BigInteger, RevocationStatus)>>(_revoked.Select(p => (p.Key, p.Value)).ToList());
    }
}
