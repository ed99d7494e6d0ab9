using System.Text;
using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.Pdf.Verification.Reports;

namespace SealService.Pdf.Tests.Verification;

/// <summary>
/// Signatures other products make, built here with openssl's CMS (BER with indefinite lengths, RSASSA-PSS, SHA-384/512,
/// ECDSA, signing-time, no signing-certificate-v2, adbe.pkcs7.detached): our "intact" must agree with poppler's pdfsig
/// on every signature, and a SealService stamp on such a file leaves both signatures intact.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class OtherSignerTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, SealKeyAlgorithm, string, bool, string> Variants() => new()
    {
        { "ber-sha512-rsa", SealKeyAlgorithm.Rsa, "sha512", true, "ETSI.CAdES.detached" },
        { "pss-sha256", SealKeyAlgorithm.Rsa, "sha256", false, "ETSI.CAdES.detached" },
        { "pss-sha384-adbe", SealKeyAlgorithm.Rsa, "sha384", false, "adbe.pkcs7.detached" },
        { "ecdsa-sha384", SealKeyAlgorithm.Ecdsa, "sha384", false, "ETSI.CAdES.detached" },
        { "adbe-signing-time", SealKeyAlgorithm.Ecdsa, "sha256", true, "adbe.pkcs7.detached" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Openssl_signatures_are_intact_as_pdfsig_says_and_stay_so_under_our_stamp(string name, SealKeyAlgorithm algorithm, string digest, bool ber, string subFilter)
    {
        var signed = await OpensslSign(TestPdfs.Simple(), name, algorithm, digest, ber, subFilter);
        var path = Path.Combine(_tmp.Path, name + ".pdf");
        await File.WriteAllBytesAsync(path, signed);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed)));
        Assert.True(report.Intact, report.Message);
        Assert.True(report.Trusted, report.Message);
        Assert.Equal(subFilter, report.SubFilter);
        var poppler = ExternalTools.Pdfsig(path, pki.NssDir);
        Assert.Contains("Signature is Valid", poppler.All);
        if (subFilter == "adbe.pkcs7.detached")
            Assert.Empty(report.ProfileIssues);
        else
            Assert.Contains(VerificationCodes.SigningTimePresent, report.ProfileIssues);

        // SealService stamps the upload: our signature is valid, theirs stays intact and unchanged.
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(signed), output, pki.Creator(SealKeyAlgorithm.Rsa), new SignatureOptions());
        var stamped = output.ToArray();
        var stampedPath = Path.Combine(_tmp.Path, name + "-stamped.pdf");
        await File.WriteAllBytesAsync(stampedPath, stamped);
        var reports = await Verifier().VerifyAsync(new MemoryStream(stamped));
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Intact, r.Message));
        Assert.Empty(reports[0].Modifications);
        Assert.True(reports[1].Valid, reports[1].Message);
        var both = ExternalTools.Pdfsig(stampedPath, pki.NssDir).All;
        Assert.Equal(2, both.Split("Signature is Valid").Length - 1);
        Assert.Equal(0, ExternalTools.QpdfCheck(stampedPath).ExitCode);
    }

    [Fact]
    public async Task A_flipped_byte_is_not_intact_for_us_nor_for_pdfsig()
    {
        var signed = await OpensslSign(TestPdfs.Simple(), "flip", SealKeyAlgorithm.Rsa, "sha512", true, "adbe.pkcs7.detached");
        var at = Encoding.Latin1.GetString(signed).IndexOf("Test page 1", StringComparison.Ordinal);
        signed[at + 1] ^= 0x20;
        var path = Path.Combine(_tmp.Path, "flip.pdf");
        await File.WriteAllBytesAsync(path, signed);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed)));
        Assert.False(report.Intact);
        Assert.DoesNotContain("Signature is Valid", ExternalTools.Pdfsig(path, pki.NssDir).All);
    }

    [Fact]
    public async Task A_sha1_signature_is_checked_and_reported_as_weak()
    {
        var signed = await OpensslSign(TestPdfs.Simple(), "sha1-adbe", SealKeyAlgorithm.Rsa, "sha1", false, "adbe.pkcs7.detached");
        var path = Path.Combine(_tmp.Path, "sha1.pdf");
        await File.WriteAllBytesAsync(path, signed);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed)));
        Assert.True(report.Intact, report.Message);
        Assert.False(report.Valid);
        Assert.Equal([VerificationCodes.AlgorithmWeak], report.ProfileIssues);
        var finding = SignatureFindings.From(report);
        Assert.Contains(finding.Checks, c => c.Code == "SIGNATURE_ALGORITHM_WEAK" && c.Status == VerificationCheck.Warn);
        Assert.Equal(Verdicts.ValidWithWarnings, SignatureFindings.Verdict([finding], []));
        Assert.Contains("Signature is Valid", ExternalTools.Pdfsig(path, pki.NssDir).All);

        // A flipped byte under SHA-1 is still caught: weak is not unchecked.
        var at = Encoding.Latin1.GetString(signed).IndexOf("Test page 1", StringComparison.Ordinal);
        signed[at + 1] ^= 0x20;
        Assert.False(Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed))).Intact);
    }

    [Fact]
    public async Task A_form_signed_by_two_other_signers_in_turn_keeps_both_intact_as_pdfsig_says()
    {
        var first = await OpensslSign(TestPdfs.Simple(), "first", SealKeyAlgorithm.Ecdsa, "sha256", false, "adbe.pkcs7.detached");
        var both = await OpensslSign(first, "second", SealKeyAlgorithm.Rsa, "sha512", true, "ETSI.CAdES.detached");
        var path = Path.Combine(_tmp.Path, "two-signers.pdf");
        await File.WriteAllBytesAsync(path, both);

        var reports = await Verifier().VerifyAsync(new MemoryStream(both));
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Intact && r.Trusted, r.Message));
        Assert.Equal(SignatureCoverage.EntireRevision, reports[0].Coverage);
        Assert.Empty(reports[0].Modifications);
        Assert.Equal(SignatureCoverage.EntireFile, reports[1].Coverage);
        var poppler = ExternalTools.Pdfsig(path, pki.NssDir).All;
        Assert.Equal(2, poppler.Split("Signature is Valid").Length - 1);
        Assert.Equal(0, ExternalTools.QpdfCheck(path).ExitCode);
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate] })));

    /// <summary>Our placeholder signature dictionary, then openssl cms over exactly the ByteRange bytes.</summary>
    private async Task<byte[]> OpensslSign(byte[] pdf, string name, SealKeyAlgorithm algorithm, string digest, bool ber, string subFilter)
    {
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf), output, new PlaceholderCreator(), new SignatureOptions());
        var file = output.ToArray();
        var text = Encoding.Latin1.GetString(file);
        if (subFilter != "ETSI.CAdES.detached")
            Encoding.ASCII.GetBytes("/" + subFilter).CopyTo(file, text.LastIndexOf("/ETSI.CAdES.detached", StringComparison.Ordinal));
        var open = text.LastIndexOf("/ByteRange [", StringComparison.Ordinal) + "/ByteRange [".Length;
        var range = text[open..text.IndexOf(']', open)].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        var (a, b) = ((int)range[1], (int)range[2]);
        var content = Path.Combine(_tmp.Path, name + ".bin");
        await File.WriteAllBytesAsync(content, [.. file[..a], .. file[b..]]);

        var dir = Path.Combine(_tmp.Path, name + "-keys");
        Directory.CreateDirectory(dir);
        var p12 = pki.SealPath(algorithm);
        var pass = "pass:" + DevPki.DefaultPassphrase;
        Run("openssl", "pkcs12", "-in", p12, "-passin", pass, "-nokeys", "-clcerts", "-out", Path.Combine(dir, "cert.pem"));
        Run("openssl", "pkcs12", "-in", p12, "-passin", pass, "-nocerts", "-nodes", "-out", Path.Combine(dir, "key.pem"));
        var args = new List<string>
        {
            "cms", "-sign", "-binary", "-in", content, "-signer", Path.Combine(dir, "cert.pem"), "-inkey", Path.Combine(dir, "key.pem"),
            "-certfile", Path.Combine(pki.Directory, DevPki.IssuingCaFile + ".pem"), "-md", digest, "-nosmimecap", "-outform", "DER",
            "-out", Path.Combine(dir, "sig.der"),
        };
        if (name.StartsWith("pss", StringComparison.Ordinal))
            args.AddRange(["-keyopt", "rsa_padding_mode:pss"]);
        if (ber)
            args.Add("-stream");
        Run("openssl", [.. args]);
        var cms = await File.ReadAllBytesAsync(Path.Combine(dir, "sig.der"));
        if (ber)
        {
            Assert.Equal(0x80, cms[1]); // indefinite length: really BER
            cms = WithoutContent(cms);
        }
        var hex = Encoding.ASCII.GetBytes(Convert.ToHexString(cms));
        Assert.True(hex.Length <= b - a - 2, "the CMS must fit the placeholder");
        hex.CopyTo(file, a + 1);
        return file;
    }

    /// <summary>
    /// openssl writes the content into a streamed (BER) CMS even when detached was asked for: cut the encapsulated
    /// content's [0] element out (every enclosing length is indefinite, so nothing else changes).
    /// </summary>
    private static byte[] WithoutContent(byte[] cms)
    {
        byte[] idData = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
        var at = cms.AsSpan().IndexOf(idData) + idData.Length;
        Assert.Equal(0xA0, cms[at]);
        var end = PdfSignatureVerifier.BerElementEnd(cms, at);
        Assert.True(end > at);
        return [.. cms[..at], .. cms[end..]];
    }

    private static void Run(string file, params string[] args)
    {
        var result = ExternalTools.Run(file, args);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', args)}: {result.All}");
    }
}
