using System.Globalization;
using System.Text;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;

namespace SealService.Pdf.Tests.Verification;

/// <summary>
/// Only seal certificates sign or verify as a seal. The foreign signatures are made by openssl with the dev TSA and ledger
/// keys over a real PDF's ByteRange, so they do not pass through our signer's own profile check.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class SealKeysOnlyTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(DevPki.TsaFile)]
    [InlineData(DevPki.LedgerFile)]
    [InlineData(DevPki.IssuingCaFile)]
    public async Task The_signer_refuses_a_key_that_is_not_a_seal_key(string file)
    {
        var creator = CadesSignatureCreator.FromPkcs12(Path.Combine(pki.Directory, file + ".p12"), DevPki.DefaultPassphrase, null);
        using var output = new MemoryStream();

        var e = await Assert.ThrowsAsync<KeysException>(() => PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), output, creator, new SignatureOptions()));

        Assert.Equal(KeyErrorCodes.NotASealCertificate, e.Code);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void A_seal_certificate_carries_the_seal_policy_and_others_do_not()
    {
        Assert.True(SealCertificateProfile.IsSealCertificate(pki.Creator(SealKeyAlgorithm.Rsa).SignerCertificate));
        foreach (var file in new[] { DevPki.TsaFile, DevPki.LedgerFile, DevPki.IssuingCaFile, DevPki.RootCaFile })
        {
            Assert.NotNull(SealCertificateProfile.Problem(DevPki.ReadPem(Path.Combine(pki.Directory, file + ".pem"))));
        }
    }

    [Theory]
    [InlineData(DevPki.TsaFile, true)]
    [InlineData(DevPki.LedgerFile, true)]
    [InlineData("seal", false)]
    public async Task The_verifier_rejects_a_signature_by_any_other_certificate(string signer, bool rejected)
    {
        var p12 = signer == "seal" ? pki.SealPath(SealKeyAlgorithm.Rsa) : Path.Combine(pki.Directory, signer + ".p12");
        var pdf = await ResignWithOpenSsl(await SealSigned(), p12);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(pdf)));

        Assert.Equal(rejected, report.Message?.Contains(KeyErrorCodes.NotASealCertificate, StringComparison.Ordinal) == true);
        if (rejected)
        {
            Assert.False(report.Valid);
        }
    }

    private async Task<byte[]> SealSigned()
    {
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), output, pki.Creator(SealKeyAlgorithm.Rsa), new SignatureOptions());
        return output.ToArray();
    }

    /// <summary>Replaces the CMS in /Contents with one openssl makes with <paramref name="p12"/> over the same ByteRange.</summary>
    private async Task<byte[]> ResignWithOpenSsl(byte[] pdf, string p12)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var numbers = text[(text.IndexOf('[', at) + 1)..text.IndexOf(']', at)]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var (a, b, c) = ((int)numbers[1], (int)numbers[2], (int)numbers[3]);
        var signed = _tmp.File("signed.bin");
        await File.WriteAllBytesAsync(signed, [.. pdf.AsSpan(0, a), .. pdf.AsSpan(b, c)]);

        var cert = _tmp.File("cert.pem");
        var key = _tmp.File("key.pem");
        var cms = _tmp.File("cms.der");
        Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:" + DevPki.DefaultPassphrase, "-clcerts", "-nokeys", "-out", cert);
        Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:" + DevPki.DefaultPassphrase, "-nocerts", "-nodes", "-out", key);
        Run("openssl", "cms", "-sign", "-binary", "-md", "sha256", "-in", signed, "-signer", cert, "-inkey", key, "-outform", "DER", "-out", cms);
        var hex = Convert.ToHexString(await File.ReadAllBytesAsync(cms));
        Assert.True(hex.Length <= b - a - 2, "the openssl CMS must fit the reserved /Contents");
        var result = (byte[])pdf.Clone();
        Encoding.ASCII.GetBytes(hex.PadRight(b - a - 2, '0')).CopyTo(result, a + 1);
        return result;
    }

    private static void Run(string tool, params string[] args)
    {
        var r = ExternalTools.Run(tool, args);
        Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {r.StdErr}");
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true, EnforcePadesBaseline = false })));
}
