using System.Net;
using System.Net.Http.Headers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using SealService.Api.Tests.Infrastructure;
using SealService.Keys.Pki;
using SealService.Keys.Store;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Verification;

/// <summary>
/// The development host answers OCSP and serves a CRL for the seal certificates its dev CA issued, from the registry:
/// revoking a seal makes its certificate's OCSP answer "revoked" at the revocation's time, at once.
/// </summary>
public sealed class DevRevocationTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Seal = "seal-mudan-spj-shatu";

    [Fact]
    public async Task Revoking_a_seal_revokes_its_certificate_in_ocsp_and_the_crl()
    {
        await (await factory.Clerk(Shatu).StampJson(Template(Seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "OCSP-2026-000001")))
            .Json(HttpStatusCode.Created); // the dev seal's key and certificate are issued at its first stamp
        var keys = Path.Combine(factory.DataDirectory, "dev-keys");
        var seal = Pkcs12Files.Load(Path.Combine(keys, "seals", Seal + ".p12"), DevPki.DefaultPassphrase).Certificate;
        var issuer = new DevPki(keys).IssuingCertificate;
        using var anonymous = factory.CreateClient();

        var good = await AskAsync(anonymous, issuer, seal.SerialNumber);
        Assert.Equal(CertificateStatus.Good, good.GetCertStatus());
        Assert.IsType<UnknownStatus>((await AskAsync(anonymous, issuer, BigInteger.ValueOf(7))).GetCertStatus());

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        (await factory.Admin().Post($"/api/v1/seals/{Seal}/revoke", new { reason = "印章遗失" })).EnsureSuccessStatusCode();
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var revoked = Assert.IsType<RevokedStatus>((await AskAsync(anonymous, issuer, seal.SerialNumber)).GetCertStatus());
        Assert.InRange(new DateTimeOffset(revoked.RevocationTime, TimeSpan.Zero), before, after);
        var viaGet = await anonymous.GetAsync("/pki/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(Request(issuer, seal.SerialNumber))));
        Assert.IsType<RevokedStatus>(Single(await viaGet.Content.ReadAsByteArrayAsync(), issuer).GetCertStatus());

        var crl = new X509CrlParser().ReadCrl(await anonymous.GetByteArrayAsync("/pki/crl"));
        crl.Verify(issuer.GetPublicKey());
        Assert.True(crl.IsRevoked(seal));

        var huge = new ByteArrayContent(new byte[RevocationLimit + 1]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await anonymous.PostAsync("/pki/ocsp", huge)).StatusCode);
    }

    private const int RevocationLimit = Keys.Revocation.RevocationAuthority.MaxRequestBytes;

    private static async Task<SingleResp> AskAsync(HttpClient client, X509Certificate issuer, BigInteger serial)
    {
        var content = new ByteArrayContent(Request(issuer, serial));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        var response = await client.PostAsync("/pki/ocsp", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
        return Single(await response.Content.ReadAsByteArrayAsync(), issuer);
    }

    private static byte[] Request(X509Certificate issuer, BigInteger serial)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, serial));
        return generator.Generate().GetEncoded();
    }

    private static SingleResp Single(byte[] der, X509Certificate issuer)
    {
        var response = new OcspResp(der);
        Assert.Equal(OcspRespStatus.Successful, response.Status);
        var basic = (BasicOcspResp)response.GetResponseObject();
        Assert.True(basic.Verify(issuer.GetPublicKey()));
        return Assert.Single(basic.Responses);
    }
}
