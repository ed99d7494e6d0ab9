using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;
using SealService.Keys.Verification;
using SealService.TestSupport;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace SealService.Keys.Tests;

[Collection(PkiCollection.Name)]
public sealed class TimeStampTests(PkiFixture pki)
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(4096);

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task BaselineTCarriesAVerifiableTokenOverTheSignatureValue(SealKeyAlgorithm algorithm, KeySource source)
    {
        // The TSA reads its own (fake) clock: the token's time is exactly the clock's, never compared with the wall clock.
        var clock = new FakeTimeProvider();
        var tsa = pki.Pki.CreateTimeStampAuthority(clock);
        var creator = TestCms.Creator(pki, algorithm, tsa, source);
        var notBefore = creator.SignerCertificate.NotBefore > tsa.Certificate.NotBefore ? creator.SignerCertificate.NotBefore : tsa.Certificate.NotBefore;
        var at = new DateTimeOffset(DateTime.SpecifyKind(notBefore, DateTimeKind.Utc)).AddHours(1);
        clock.SetUtcNow(at);
        var digest = Hash(creator);
        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineT);

        var signer = TestCms.Signer(cms);
        var attribute = new AttributeTable(signer.UnsignedAttrs)[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        Assert.NotNull(attribute);
        var token = new TimeStampToken(new CmsSignedData(ContentInfo.GetInstance(attribute.AttrValues[0])));
        Assert.Equal(SHA256.HashData(signer.Signature.GetOctets()), token.TimeStampInfo.GetMessageImprintDigest());
        Assert.Equal(DevTimeStampAuthority.DevPolicy.Id, token.TimeStampInfo.Policy);
        token.Validate(tsa.Certificate);

        var result = TestCms.Verifier(pki.Pki.RootCertificate, requireTimestamp: true).Verify(cms, digest);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(at, result.TimestampTime);
        Assert.Equal(tsa.Certificate, result.TimestampCertificate);
        Assert.True(cms.Length <= creator.MaxSignatureSize, $"{cms.Length} > {creator.MaxSignatureSize}");
    }

    [Fact]
    public async Task ATokenTakenFromAnotherSignatureFailsTheImprintCheck()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa, pki.Pki.CreateTimeStampAuthority());
        var digest = Hash(creator);
        var first = await creator.CreateAsync(digest, PadesLevel.BaselineT);
        var other = await creator.CreateAsync(SHA256.HashData("other"u8), PadesLevel.BaselineT);

        var signer = TestCms.Signer(first);
        var spliced = TestCms.WithSigner(first, new SignerInfo(
            signer.SignerID, signer.DigestAlgorithm, signer.SignedAttrs, signer.SignatureAlgorithm, signer.Signature, TestCms.Signer(other).UnsignedAttrs));

        var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(spliced, digest);
        Assert.Equal([VerificationCodes.TimestampImprintMismatch], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task TheTimestampTimeDecidesCertificateValidityLongAfterExpiry()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa, pki.Pki.CreateTimeStampAuthority());
        var digest = Hash(creator);
        var later = new CmsSignatureVerifier(new CmsVerificationOptions
        {
            TrustedRoots = [pki.Pki.RootCertificate],
            ValidationTime = new DateTimeOffset(2060, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });

        var withoutTime = later.Verify(await creator.CreateAsync(digest, PadesLevel.BaselineB), digest);
        var withTime = later.Verify(await creator.CreateAsync(digest, PadesLevel.BaselineT), digest);

        Assert.True(withoutTime.HasError(VerificationCodes.CertificateNotValidAtTime));
        Assert.True(withTime.IsValid, string.Join("; ", withTime.Errors));
    }

    [Fact]
    public async Task MissingTimestampIsReportedWhenRequired()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
        var cms = await creator.CreateAsync(Hash(creator), PadesLevel.BaselineB);
        var result = TestCms.Verifier(pki.Pki.RootCertificate, requireTimestamp: true).Verify(cms, Hash(creator));
        Assert.Equal([VerificationCodes.TimestampMissing], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task DevTsaAnswersConcurrentRequestsWithDistinctValidTokens()
    {
        var tsa = pki.Pki.CreateTimeStampAuthority();
        var digests = Enumerable.Range(0, 16).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        var tokens = await Task.WhenAll(digests.Select(d => Task.Run(() => tsa.GetTokenAsync(d, "2.16.840.1.101.3.4.2.1"))));

        var parsed = tokens.Select(t => new TimeStampToken(new CmsSignedData(t))).ToList();
        for (var i = 0; i < parsed.Count; i++)
        {
            parsed[i].Validate(tsa.Certificate);
            Assert.Equal(digests[i], parsed[i].TimeStampInfo.GetMessageImprintDigest());
        }

        Assert.Equal(parsed.Count, parsed.Select(p => p.TimeStampInfo.SerialNumber).Distinct().Count());
    }

    [Fact]
    public async Task HttpTsaRoundTripThroughTheDevTsaHandler()
    {
        var dev = pki.Pki.CreateTimeStampAuthority();
        using var server = new LoopbackTsa((query, response, _) => LoopbackTsa.Reply(response, dev.HandleHttpRequest(query)));
        using var http = new HttpClient();
        var tsa = new HttpTimeStampAuthority(http, new TimeStampOptions { Url = server.Url });
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Ecdsa, tsa);
        var digest = Hash(creator);

        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineT);

        Assert.True(TestCms.Verifier(pki.Pki.RootCertificate, requireTimestamp: true).Verify(cms, digest).IsValid);
        Assert.Equal("application/timestamp-query", Assert.Single(server.RequestContentTypes));
    }

    [Fact]
    public async Task HttpTsaTimesOutWithAClearCode()
    {
        // The server holds the request; the timeout runs on a fake clock that the test moves once the request has arrived.
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new LoopbackTsa((_, _, stop) =>
        {
            arrived.TrySetResult();
            return Task.Delay(Timeout.Infinite, stop);
        });
        using var http = new HttpClient();
        var clock = new FakeTimeProvider();
        var tsa = new HttpTimeStampAuthority(http, new TimeStampOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(30) }, clock);

        var pending = tsa.GetTokenAsync(new byte[32], "2.16.840.1.101.3.4.2.1");
        await arrived.Task.WaitAsync(TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<KeysException>(() => pending);
        Assert.Equal(KeyErrorCodes.TsaTimeout, ex.Code);
    }

    [Fact]
    public async Task HttpTsaFailsClosedOnServerErrorGarbageAndWrongAnswers()
    {
        var dev = pki.Pki.CreateTimeStampAuthority();
        var mode = "";
        using var server = new LoopbackTsa(async (query, response, _) =>
        {
            switch (mode)
            {
                case "500":
                    await LoopbackTsa.Reply(response, [], "text/plain", 500);
                    break;
                case "garbage":
                    await LoopbackTsa.Reply(response, RandomNumberGenerator.GetBytes(200));
                    break;
                case "other-request":
                    var otherRequest = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha256, SHA256.HashData("x"u8));
                    await LoopbackTsa.Reply(response, dev.HandleHttpRequest(otherRequest.GetEncoded()));
                    break;
                case "rejected":
                    await LoopbackTsa.Reply(response, dev.HandleHttpRequest([0x30, 0x00]));
                    break;
            }
        });
        using var http = new HttpClient();
        var tsa = new HttpTimeStampAuthority(http, new TimeStampOptions { Url = server.Url });

        foreach (var (m, code) in new[]
                 {
                     ("500", KeyErrorCodes.TsaUnavailable), ("garbage", KeyErrorCodes.TsaResponseInvalid),
                     ("other-request", KeyErrorCodes.TsaResponseInvalid), ("rejected", KeyErrorCodes.TsaRejected),
                 })
        {
            mode = m;
            var ex = await Assert.ThrowsAsync<KeysException>(() => tsa.GetTokenAsync(SHA256.HashData("y"u8), TspAlgorithms.Sha256));
            Assert.True(code == ex.Code, $"{m}: {ex.Code} {ex.Message}");
        }
    }

    [Fact]
    public async Task UnreachableTsaIsUnavailable()
    {
        string url;
        using (var server = new LoopbackTsa((_, _, _) => Task.CompletedTask))
        {
            url = server.Url;
        }

        using var http = new HttpClient();
        var tsa = new HttpTimeStampAuthority(http, new TimeStampOptions { Url = url });
        var ex = await Assert.ThrowsAsync<KeysException>(() => tsa.GetTokenAsync(new byte[32], TspAlgorithms.Sha256));
        Assert.Equal(KeyErrorCodes.TsaUnavailable, ex.Code);
    }

    [Fact]
    public void TsaCertificateIsForTimeStampingOnly()
    {
        var certificate = pki.Pki.CreateTimeStampAuthority().Certificate;
        Assert.Equal(["1.3.6.1.5.5.7.3.8"], certificate.GetExtendedKeyUsage().Select(o => o.Id));
        Assert.Contains("2.5.29.37", certificate.GetCriticalExtensionOids());
        Assert.Contains(DevPki.DevelopmentMarker, certificate.SubjectDN.ToString());
    }

    private static byte[] Hash(Cms.CadesSignatureCreator creator)
    {
        using var hasher = creator.CreateHasher();
        hasher.Append(Content);
        return hasher.Finish();
    }
}
