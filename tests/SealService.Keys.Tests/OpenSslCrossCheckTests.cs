using System.Security.Cryptography;
using SealService.Keys.Cms;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>OpenSSL, an independent CMS implementation, judges our RSA and ECDSA signatures.</summary>
[Collection(PkiCollection.Name)]
public sealed class OpenSslCrossCheckTests(PkiFixture pki)
{
    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Rsa, KeySource.Pkcs11)]
    [InlineData(SealKeyAlgorithm.Ecdsa, KeySource.Pkcs11)]
    public async Task OpenSslVerifiesDetachedSignatureAndRejectsChangedContent(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var content = RandomNumberGenerator.GetBytes(5000);
        var cms = await creator.CreateAsync(SHA256.HashData(content), PadesLevel.BaselineB);

        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "content"), content);
            File.WriteAllBytes(Path.Combine(dir, "sig.der"), cms);
            var good = Verify(dir);
            Assert.True(good.ExitCode == 0, good.Output);
            Assert.Contains("Verification successful", good.Output);

            content[1234] ^= 0x01;
            File.WriteAllBytes(Path.Combine(dir, "content"), content);
            var bad = Verify(dir);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("content verify error", bad.Output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task OpenSslSeesExactlyTheRequiredSignedAttributes()
    {
        var creator = CadesSignatureCreator.FromPkcs12(pki.SealPath(SealKeyAlgorithm.Rsa), Pki.DevPki.DefaultPassphrase, null);
        var cms = await creator.CreateAsync(SHA256.HashData("x"u8), PadesLevel.BaselineB);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, cms);
            var (code, output) = Tool.Run("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", file);
            Assert.True(code == 0, output);
            Assert.Contains("contentType", output);
            Assert.Contains("messageDigest", output);
            Assert.Contains("id-smime-aa-signingCertificateV2", output);
            Assert.DoesNotContain("signingTime", output);
            Assert.Matches(@"unsignedAttrs:\s*<ABSENT>", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa)]
    [InlineData(SealKeyAlgorithm.Ecdsa)]
    public async Task Pkcs12FilesMadeByOpenSslLoadAndSign(SealKeyAlgorithm algorithm)
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var pem = Path.Combine(dir, "all.pem");
            var exported = Tool.Run("openssl", "pkcs12", "-in", pki.SealPath(algorithm), "-passin", "pass:" + Pki.DevPki.DefaultPassphrase, "-nodes", "-out", pem);
            Assert.True(exported.ExitCode == 0, exported.Output);
            var p12 = Path.Combine(dir, "openssl.p12");
            var packed = Tool.Run("openssl", "pkcs12", "-export", "-in", pem, "-out", p12, "-passout", "pass:operator secret");
            Assert.True(packed.ExitCode == 0, packed.Output);

            var creator = CadesSignatureCreator.FromPkcs12(p12, "operator secret", null);
            var digest = SHA256.HashData("x"u8);
            var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(await creator.CreateAsync(digest, PadesLevel.BaselineB), digest);

            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            Assert.Equal(algorithm, result.Algorithm);
            var wrong = Assert.Throws<KeysException>(() => Store.Pkcs12Files.Load(p12, Pki.DevPki.DefaultPassphrase));
            Assert.Equal(KeyErrorCodes.KeyPassphraseInvalid, wrong.Code);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private (int ExitCode, string Output) Verify(string dir) => Tool.Run(
        "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", Path.Combine(dir, "sig.der"), "-content", Path.Combine(dir, "content"),
        "-CAfile", pki.RootPem, "-purpose", "any", "-out", "/dev/null");
}
