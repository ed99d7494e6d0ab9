using System.Text;
using SealService.Keys;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.Pdf.Verification.Reports;

namespace SealService.Pdf.Tests.Verification;

/// <summary>
/// Signed PDFs made by another product (pyHanko's public test files, MIT licence, see Samples/pyhanko/README.md): our
/// "intact" per signature against poppler's pdfsig and, where the two differ, the file's maker; then SealService stamps
/// each one, and the result is valid with warnings (their signer is not among our anchors) with every signature intact.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class PublicSampleTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>File; our intact per signature (file order of the report); pdfsig's "Signature is Valid" per signature, in its order.</summary>
    public static TheoryData<string, bool[], bool[]> Samples() => new()
    {
        { "minimal-signed-twice-both-created", [true, true], [true, true] },
        { "minimal-two-fields-signed-twice", [true, true], [true, true] },
        // pdfsig does not check document time-stamps ("not yet verified"); pyHanko's test validates it.
        { "pades-lta-dss-indirect-arrs-test", [true, true], [true, false] },
        { "sig-no-signed-attrs", [true], [true] },
        // NSS finds no signer by subjectKeyIdentifier ("Unknown Validation Failure"); pyHanko's test validates it.
        { "sig-with-ski-sid", [true], [false] },
        // A detached PDF signature must not carry content: pyHanko refuses it, pdfsig does not look.
        { "pdf-sig-with-econtent", [false], [true] },
        { "pades-with-old-style-signing-cert-attr", [true], [true] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Intact_agrees_with_pdfsig_or_the_maker_and_our_stamp_on_top_is_valid_with_warnings(string name, bool[] intact, bool[] pdfsigValid)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "pyhanko", name + ".pdf");
        var original = await File.ReadAllBytesAsync(path);

        var reports = await Verifier().VerifyAsync(new MemoryStream(original));
        Assert.Equal(intact, reports.Select(r => r.Intact).ToArray());
        Assert.All(reports, r => Assert.False(r.Trusted));
        Assert.All(reports, r => Assert.Empty(r.Modifications));
        Assert.Equal(pdfsigValid, PdfsigValid(path));

        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(original), output, pki.Creator(SealKeyAlgorithm.Rsa), new SignatureOptions());
        var stampedPath = Path.Combine(_tmp.Path, name + "-stamped.pdf");
        await File.WriteAllBytesAsync(stampedPath, output.ToArray());
        var stamped = await Verifier().VerifyAsync(new MemoryStream(output.ToArray()));
        Assert.Equal(reports.Count + 1, stamped.Count);
        Assert.True(stamped[^1].Valid, stamped[^1].Message);
        Assert.Equal(SignatureCoverage.EntireFile, stamped[^1].Coverage);
        Assert.Equal(intact, stamped.Take(reports.Count).Select(r => r.Intact).ToArray());
        Assert.All(stamped, r => Assert.Empty(r.Modifications));
        Assert.Equal([.. pdfsigValid, true], PdfsigValid(stampedPath));
        Assert.Equal(0, ExternalTools.QpdfCheck(stampedPath).ExitCode);

        var ours = SignatureFindings.From(stamped[^1]) with { Scope = null };
        var verdict = SignatureFindings.Verdict([.. stamped.Take(reports.Count).Select(SignatureFindings.From), ours], []);
        Assert.Equal(intact.All(i => i) ? Verdicts.ValidWithWarnings : Verdicts.Invalid, verdict);
    }

    [Theory]
    [InlineData("sig-no-signed-attrs")]
    [InlineData("pades-lta-dss-indirect-arrs-test")]
    [InlineData("minimal-signed-twice-both-created")]
    public async Task A_flipped_signed_byte_breaks_the_first_signature_of_each_sample(string name)
    {
        var pdf = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", "pyhanko", name + ".pdf"));
        var before = await Verifier().VerifyAsync(new MemoryStream(pdf));
        var first = before.OrderBy(r => r.ByteRange[3] + r.ByteRange[2]).First();
        // A byte of the first revision's page dictionary, which every signature covers.
        var at = Encoding.Latin1.GetString(pdf, 0, (int)first.ByteRange[1]).IndexOf("/MediaBox", StringComparison.Ordinal);
        Assert.True(at > 0);
        pdf[at + 2] ^= 0x01;

        var after = await Verifier().VerifyAsync(new MemoryStream(pdf));
        Assert.Contains(after, r => r.FieldName == first.FieldName && !r.Intact);
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate] })));

    /// <summary>pdfsig's verdict on each signature it lists, in its order.</summary>
    private bool[] PdfsigValid(string path) =>
        [.. ExternalTools.Pdfsig(path, pki.NssDir).All.Split("Signature #").Skip(1).Select(block => block.Contains("Signature is Valid", StringComparison.Ordinal))];
}
