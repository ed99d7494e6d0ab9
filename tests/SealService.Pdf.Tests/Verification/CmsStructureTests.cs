using System.Security.Cryptography;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;
using SealService.Keys;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;

namespace SealService.Pdf.Tests.Verification;

/// <summary>
/// PDFs whose framing is perfect but whose CMS lies: a second SignerInfo, a message digest of other bytes, a
/// time-stamp taken from another signature. Each is made by our own signer with the CMS changed before it is
/// written, and poppler's pdfsig is asked too.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class CmsStructureTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task A_control_file_through_the_same_path_is_valid_b_t()
    {
        var report = await SignAndVerify("control", PadesLevel.BaselineT, (cms, _, _) => Task.FromResult(cms));
        Assert.True(report.Valid, report.Message);
        Assert.NotNull(report.TimestampTime);
        Assert.Contains("Signature is Valid", Pdfsig("control"));
    }

    [Fact]
    public async Task Two_signer_infos_are_refused()
    {
        var report = await SignAndVerify("two-signers", PadesLevel.BaselineB, async (cms, digest, creator) =>
        {
            var second = await creator.CreateAsync(digest, PadesLevel.BaselineB);
            var both = new SignerInformationStore([.. Signers(cms), .. Signers(second)]);
            return CmsSignedData.ReplaceSigners(new CmsSignedData(cms), both).GetEncoded("DER");
        });
        Assert.False(report.Intact);
        Assert.Equal(VerificationCodes.SignerCount, report.ErrorCode);
    }

    [Fact]
    public async Task A_message_digest_of_other_bytes_is_not_intact_for_us_nor_for_pdfsig()
    {
        var report = await SignAndVerify("wrong-digest", PadesLevel.BaselineB,
            (_, _, creator) => creator.CreateAsync(SHA256.HashData("其他内容"u8), PadesLevel.BaselineB));
        Assert.False(report.Intact);
        Assert.Equal(VerificationCodes.MessageDigestMismatch, report.ErrorCode);
        Assert.DoesNotContain("Signature is Valid", Pdfsig("wrong-digest"));
    }

    [Fact]
    public async Task A_time_stamp_over_another_signature_value_is_refused()
    {
        var report = await SignAndVerify("foreign-tst", PadesLevel.BaselineT, async (cms, _, creator) =>
        {
            var other = Signers(await creator.CreateAsync(SHA256.HashData("另一份文件"u8), PadesLevel.BaselineT)).Single();
            var ours = Signers(cms).Single();
            Assert.NotNull(other.UnsignedAttributes);
            var swapped = SignerInformation.ReplaceUnsignedAttributes(ours, other.UnsignedAttributes);
            return CmsSignedData.ReplaceSigners(new CmsSignedData(cms), new SignerInformationStore(swapped)).GetEncoded("DER");
        });
        Assert.False(report.Valid);
        Assert.Equal(VerificationCodes.TimestampImprintMismatch, report.ErrorCode);
        // poppler does not read signature time-stamps: for it the signature value holds, which it does.
        Assert.Contains("Signature is Valid", Pdfsig("foreign-tst"));
    }

    private static IEnumerable<SignerInformation> Signers(byte[] cms) => new CmsSignedData(cms).GetSignerInfos().GetSigners();

    private string Pdfsig(string name) => ExternalTools.Pdfsig(Path.Combine(_tmp.Path, name + ".pdf"), pki.NssDir).All;

    private async Task<PdfSignatureReport> SignAndVerify(string name, PadesLevel level, Func<byte[], byte[], ICmsSignatureCreator, Task<byte[]>> tamper)
    {
        using var output = new MemoryStream();
        var creator = new TamperingCreator(pki.Creator(SealKeyAlgorithm.Rsa), tamper);
        await PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), output, creator, new SignatureOptions { Level = level });
        var file = output.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_tmp.Path, name + ".pdf"), file);
        Assert.Equal(0, ExternalTools.QpdfCheck(Path.Combine(_tmp.Path, name + ".pdf")).ExitCode);
        return Assert.Single(await new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
            new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true }))).VerifyAsync(new MemoryStream(file)));
    }

    /// <summary>Our CAdES creator, with its CMS handed to <c>tamper</c> (with the true digest and the creator) before it is written.</summary>
    private sealed class TamperingCreator(ICmsSignatureCreator inner, Func<byte[], byte[], ICmsSignatureCreator, Task<byte[]>> tamper) : ICmsSignatureCreator
    {
        public int MaxSignatureSize => 2 * inner.MaxSignatureSize;

        public X509Certificate SignerCertificate => inner.SignerCertificate;

        public IContentHasher CreateHasher() => inner.CreateHasher();

        public async Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level,
            IReadOnlyList<CmsSignedAttribute>? extraSignedAttributes = null, CancellationToken cancellationToken = default)
        {
            var cms = await inner.CreateAsync(contentDigest, level, extraSignedAttributes, cancellationToken);
            return await tamper(cms, contentDigest.ToArray(), inner);
        }
    }
}
