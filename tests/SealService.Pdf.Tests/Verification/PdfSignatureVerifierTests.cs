using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.TestSupport;

namespace SealService.Pdf.Tests.Verification;

/// <summary>Our verifier with Keys' BouncyCastle CMS check (the only judge for SM2).</summary>
[Collection(SigningCollection.Name)]
public sealed class PdfSignatureVerifierTests(SigningFixture pki) : IDisposable
{
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 29, 10, 30, 0, TimeSpan.FromHours(8));
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa, PadesLevel.BaselineB, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Sm2, PadesLevel.BaselineB, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Sm2, PadesLevel.BaselineT, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Rsa, PadesLevel.BaselineT, KeySource.Pkcs11)]
    [InlineData(SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB, KeySource.Pkcs11)]
    public async Task Signed_pdf_verifies_and_reports_signer_and_times(SealKeyAlgorithm algorithm, PadesLevel level, KeySource source)
    {
        var signed = await Sign(TestPdfs.Simple(), algorithm, level, source);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed)));

        Assert.True(report.Valid, report.Message);
        Assert.True(report.CoversWholeDocument);
        Assert.Equal(signed.Length, report.FileLength);
        Assert.Contains("审批专用章", report.SignerSubject);
        Assert.Equal(SignedAt, report.SigningTime);
        Assert.Equal("ETSI.CAdES.detached", report.SubFilter);
        Assert.Equal(level == PadesLevel.BaselineT, report.TimestampTime is not null);
        Assert.Equal(level == PadesLevel.BaselineT ? "B-T" : "B-B", report.Level);
    }

    [Fact]
    public async Task Twice_signed_pdf_has_two_valid_signatures_only_the_last_covering_all()
    {
        var once = await Sign(TestPdfs.Simple(new TestPdfs.Options { WithTextField = true }), SealKeyAlgorithm.Sm2, PadesLevel.BaselineB);
        var twice = await Sign(once, SealKeyAlgorithm.Rsa, PadesLevel.BaselineT);

        var reports = await Verifier().VerifyAsync(new MemoryStream(twice));

        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Valid, r.Message));
        Assert.False(reports[0].CoversWholeDocument);
        Assert.Equal(once.Length, reports[0].ByteRange[2] + reports[0].ByteRange[3]);
        Assert.True(reports[1].CoversWholeDocument);
    }

    [Fact]
    public async Task Flipped_byte_in_signed_range_fails_every_signature()
    {
        var once = await Sign(TestPdfs.Simple(), SealKeyAlgorithm.Sm2, PadesLevel.BaselineB);
        var twice = await Sign(once, SealKeyAlgorithm.Rsa, PadesLevel.BaselineB);
        var at = System.Text.Encoding.Latin1.GetString(twice).IndexOf("Test page 1", StringComparison.Ordinal);
        twice[at + 2] ^= 0x20;

        var reports = await Verifier().VerifyAsync(new MemoryStream(twice));

        Assert.Equal(2, reports.Count);
        Assert.All(reports, r =>
        {
            Assert.False(r.Valid);
            Assert.Equal(VerificationCodes.MessageDigestMismatch, r.ErrorCode);
        });
    }

    [Fact]
    public async Task Signature_from_an_untrusted_root_is_invalid()
    {
        var signed = await Sign(TestPdfs.Simple(), SealKeyAlgorithm.Rsa, PadesLevel.BaselineB);
        var otherDir = Directory.CreateTempSubdirectory("other-pki-").FullName;
        try
        {
            var other = DevPki.Init(otherDir);
            var verifier = new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
                new CmsVerificationOptions { TrustedRoots = [other.RootCertificate] })));

            var report = Assert.Single(await verifier.VerifyAsync(new MemoryStream(signed)));

            Assert.False(report.Valid);
            Assert.Equal(VerificationCodes.ChainUntrusted, report.ErrorCode);
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true })));

    private async Task<byte[]> Sign(byte[] pdf, SealKeyAlgorithm algorithm, PadesLevel level, KeySource source = KeySource.File)
    {
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf), output, pki.Creator(algorithm, source),
            new SignatureOptions { Level = level, SigningTime = SignedAt });
        return output.ToArray();
    }
}
