using System.Collections.Concurrent;
using System.Net.Sockets;
using Org.BouncyCastle.Math;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.TestSupport;

namespace SealService.Pdf.Tests.Signing;

/// <summary>
/// The verifier allowed to fetch: it asks the OCSP responder named in the seal certificate's AIA (the dev CA on
/// loopback, over HTTP) and so sees a revocation after signing, which a document's own answers cannot show. With the
/// network closed it falls back to the document's DSS; without a client it never goes online.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class OnlineRevocationTests : IDisposable
{
    private readonly SigningFixture _pki;
    private readonly Statuses _statuses = new();
    private readonly SealService.Keys.Signing.SoftwareSigner _ca;
    private readonly LoopbackTsa _responder;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CadesSignatureCreator _creator;
    private int _asked;

    public OnlineRevocationTests(SigningFixture pki)
    {
        _pki = pki;
        _ca = pki.Pki.OpenIssuingCa();
        var authority = new RevocationAuthority(_ca, _statuses);
        _responder = new LoopbackTsa(async (body, response, ct) =>
        {
            Interlocked.Increment(ref _asked);
            var answer = await authority.RespondAsync(body, ct);
            response.ContentType = "application/ocsp-response";
            await response.OutputStream.WriteAsync(answer, ct);
        });
        var key = pki.Pki.IssueSealCertificate("seal-online-" + Guid.NewGuid().ToString("N")[..8], "菏泽市牡丹区行政审批服务局审批专用章（沙土镇）",
            "菏泽市牡丹区行政审批服务局", revocation: new RevocationUrls(null, _responder.Url));
        _creator = CadesSignatureCreator.FromPkcs12(key, DevPki.DefaultPassphrase, pki.Tsa);
    }

    public void Dispose()
    {
        _responder.Dispose();
        _http.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public async Task Fetching_sees_a_revocation_after_signing_and_the_signature_stays_valid_with_the_note()
    {
        var signed = await SignAsync();
        _statuses.Revoke(_creator.SignerCertificate.SerialNumber, DateTimeOffset.UtcNow.AddSeconds(2));

        var offline = Assert.Single(await Verifier(online: null).VerifyAsync(new MemoryStream(signed)));
        Assert.Equal(0, _asked); // no client, no network
        Assert.Equal(RevocationFinding.NotChecked, offline.Revocation?.Status);

        var online = Assert.Single(await Verifier(new HttpRevocationClient(_http)).VerifyAsync(new MemoryStream(signed)));

        Assert.Equal(1, _asked);
        Assert.True(online.Valid, $"{online.ErrorCode} {online.Message}");
        Assert.Equal(RevocationFinding.RevokedAfterSigning, online.Revocation?.Status);
        Assert.Equal("OCSP answer " + RevocationCheck.Fetched, online.Revocation?.Source);
        Assert.Equal("B-T", online.Level); // fetched now: the file itself still carries no validation data
        Assert.Contains("CERT_REVOKED_AFTER_SIGNING", SealService.Pdf.Verification.Reports.SignatureFindings.From(online).Checks.Select(c => c.Code));
    }

    [Fact]
    public async Task A_certificate_naming_no_responder_is_asked_at_the_cas_configured_url()
    {
        using var signed = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), signed, _pki.Creator(SealKeyAlgorithm.Rsa), new SignatureOptions { Level = PadesLevel.BaselineT });

        var unconfigured = Assert.Single(await Verifier(new HttpRevocationClient(_http)).VerifyAsync(new MemoryStream(signed.ToArray())));
        Assert.Equal(RevocationFinding.NotChecked, unconfigured.Revocation?.Status);
        Assert.Equal(0, _asked);

        var configured = new HttpRevocationClient(_http, new RevocationUrls(null, _responder.Url));
        var report = Assert.Single(await Verifier(configured).VerifyAsync(new MemoryStream(signed.ToArray())));

        Assert.Equal(RevocationFinding.Good, report.Revocation?.Status);
        Assert.Equal("OCSP answer " + RevocationCheck.Fetched, report.Revocation?.Source);
        Assert.Equal(2, _asked); // the seal certificate and the time-stamp's TSA certificate, neither naming a responder
    }

    [Fact]
    public async Task A_signature_made_after_the_revocation_is_invalid_when_fetched()
    {
        _statuses.Revoke(_creator.SignerCertificate.SerialNumber, DateTimeOffset.UtcNow.AddMinutes(-5));
        var signed = await SignAsync(); // the key still signs; the CA has revoked its certificate

        var report = Assert.Single(await Verifier(new HttpRevocationClient(_http)).VerifyAsync(new MemoryStream(signed)));

        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.CertificateRevoked, report.ErrorCode);
        Assert.Equal(RevocationFinding.Revoked, report.Revocation?.Status);
    }

    [Fact]
    public async Task With_the_network_closed_a_b_lt_document_validates_from_its_own_dss()
    {
        var signed = await SignAsync();
        using var lt = new MemoryStream();
        // The seal certificate's answer over HTTP (its AIA); the fixture's TSA certificate names no responder, so the CA answers it directly.
        var collector = new FirstAnswer(new HttpRevocationClient(_http), new LocalRevocationClient(new RevocationAuthority(_ca, _statuses)));
        await PdfValidationData.AppendAsync(new MemoryStream(signed), lt, (cms, ct) => ValidationDataCollector.CollectAsync(cms, collector, [], ct));
        Assert.Equal(1, _asked);
        var attempts = 0;
        using var closed = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new SocketException((int)SocketError.NetworkUnreachable);
            },
        });

        foreach (var online in new IRevocationClient?[] { null, new HttpRevocationClient(closed) })
        {
            var report = Assert.Single(await Verifier(online).VerifyAsync(new MemoryStream(lt.ToArray())));

            Assert.True(report.Valid, $"{report.ErrorCode} {report.Message}");
            Assert.Equal(RevocationFinding.Good, report.Revocation?.Status);
            Assert.Equal("OCSP answer " + RevocationCheck.InDocument, report.Revocation?.Source);
            Assert.Equal("B-LT", report.Level);
        }

        Assert.True(attempts >= 1, "the fetching verifier tried the network");
        Assert.Equal(1, _asked); // and nothing reached the responder
    }

    private async Task<byte[]> SignAsync()
    {
        using var signed = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), signed, _creator, new SignatureOptions { Level = PadesLevel.BaselineT });
        return signed.ToArray();
    }

    private PdfSignatureVerifier Verifier(IRevocationClient? online) => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [_pki.Pki.RootCertificate], RequireSealCertificate = true })), online);

    private sealed class FirstAnswer(IRevocationClient first, IRevocationClient second) : IRevocationClient
    {
        public async Task<byte[]?> OcspAsync(Org.BouncyCastle.X509.X509Certificate certificate, Org.BouncyCastle.X509.X509Certificate issuer, CancellationToken cancellationToken) =>
            await first.OcspAsync(certificate, issuer, cancellationToken) ?? await second.OcspAsync(certificate, issuer, cancellationToken);

        public async Task<byte[]?> CrlAsync(Org.BouncyCastle.X509.X509Certificate certificate, Org.BouncyCastle.X509.X509Certificate issuer, CancellationToken cancellationToken) =>
            await first.CrlAsync(certificate, issuer, cancellationToken) ?? await second.CrlAsync(certificate, issuer, cancellationToken);
    }

    private sealed class Statuses : ICertificateStatusSource
    {
        private readonly ConcurrentDictionary<BigInteger, RevocationStatus> _revoked = new();

        public void Revoke(BigInteger serial, DateTimeOffset at) => _revoked[serial] = new RevocationStatus(at, RevocationReason.KeyCompromise);

        public Task<RevocationStatus?> FindAsync(BigInteger serialNumber, CancellationToken cancellationToken) =>
            Task.FromResult<RevocationStatus?>(_revoked.GetValueOrDefault(serialNumber) ?? RevocationStatus.Good);

        public Task<IReadOnlyList<(BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(BigInteger, RevocationStatus)>>([.. _revoked.Select(p => (p.Key, p.Value))]);
    }
}
