using SealService.Keys;
using SealService.Keys.Verification;
using SealService.Pdf.Parsing;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.TestSupport;

namespace SealService.Pdf.Tests.Signing;

/// <summary>
/// Uploads carrying a certification signature: DocMDP P=2 and P=3 allow filling an existing empty signature field,
/// so the seal signs into that field (named by the caller) and both signatures stay valid; adding a field of our own
/// is refused with a code that says why; P=1 stays refused.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class CertifiedInputTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(2, KeySource.File)]
    [InlineData(3, KeySource.File)]
    [InlineData(2, KeySource.Pkcs11)]
    public async Task A_certified_upload_is_signed_into_its_empty_field_and_both_signatures_stay_valid(int permissions, KeySource source)
    {
        var certified = await Certified(permissions, "Approval");

        var (signed, result) = await Sign(certified, new SignatureOptions { FieldName = "Approval", Level = PadesLevel.BaselineT, Appearance = RedSquare() }, source);

        Assert.Equal("Approval", result.FieldName);
        Assert.Equal(new PdfRect(360, 80, 120, 120), result.Rect);
        var path = _tmp.File($"filled-{permissions}-{source}.pdf");
        await File.WriteAllBytesAsync(path, signed);
        var qpdf = ExternalTools.QpdfCheck(path);
        Assert.True(qpdf.ExitCode == 0, qpdf.All);
        var openssl = ExternalTools.OpenSslVerifyLastSignature(path, pki.RootPem);
        Assert.True(openssl.ExitCode == 0, openssl.All);

        var reports = await Verifier().VerifyAsync(new MemoryStream(signed));
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Valid, $"{r.FieldName}: {r.ErrorCode} {r.Message} {string.Join("; ", r.Modifications)}"));
        Assert.Empty(reports[0].Modifications); // filling the field is a change P=2 allows
        Assert.True(reports[1].CoversWholeDocument);
        Assert.Equal("Approval", reports[1].FieldName);

        var pdfsig = ExternalTools.Pdfsig(path, pki.NssDir).StdOut.Split("Signature #")[1..];
        Assert.Equal(2, pdfsig.Length);
        Assert.All(pdfsig, s => Assert.Contains("Signature Validation: Signature is Valid.", s));
        var seal = Assert.Single(pdfsig, s => s.Contains("- Signature Field Name: Approval", StringComparison.Ordinal)); // pdfsig lists by /Fields order
        Assert.Contains("Total document signed", seal);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", seal);
    }

    [Fact]
    public async Task Without_a_field_name_a_certified_upload_is_refused_and_its_empty_fields_are_named()
    {
        var certified = await Certified(2, "Approval");

        var refused = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(certified, new SignatureOptions()));

        Assert.Equal(PdfSigningException.CertifiedNeedsField, refused.Code);
        Assert.Contains("P=2", refused.Message);
        Assert.Contains("Approval", refused.Message);
    }

    [Fact]
    public async Task A_certified_upload_without_an_empty_field_is_refused_with_the_reason()
    {
        var certified = await Certified(3, emptyField: null);

        var refused = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(certified, new SignatureOptions()));

        Assert.Equal(PdfSigningException.CertifiedNeedsField, refused.Code);
        Assert.Contains("has no empty one", refused.Message);
    }

    [Fact]
    public async Task An_unknown_or_already_signed_field_is_refused()
    {
        var certified = await Certified(2, "Approval");
        var unknown = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(certified, new SignatureOptions { FieldName = "Nope" }));
        Assert.Equal(PdfSigningException.SignatureFieldNotFound, unknown.Code);
        Assert.Contains("Approval", unknown.Message);

        var (filled, _) = await Sign(certified, new SignatureOptions { FieldName = "Approval" });
        var again = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(filled, new SignatureOptions { FieldName = "Approval" }));
        Assert.Equal(PdfSigningException.SignatureFieldNotEmpty, again.Code);
        var text = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(TestPdfs.Simple(new TestPdfs.Options { WithTextField = true }), new SignatureOptions { FieldName = "name" }));
        Assert.Equal(PdfSigningException.SignatureFieldNotFound, text.Code);
        Assert.Contains("not a signature field", text.Message);
    }

    [Fact]
    public async Task P1_stays_refused_and_only_an_unsigned_document_can_be_certified()
    {
        var locked = await Certified(1, "Approval");
        var refused = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(locked, new SignatureOptions { FieldName = "Approval" }));
        Assert.Equal(PdfSigningException.SigningForbidden, refused.Code);

        var (once, _) = await Sign(TestPdfs.Simple(), new SignatureOptions());
        var second = await Assert.ThrowsAsync<PdfSigningException>(() => Sign(once, new SignatureOptions { CertifyPermissions = 2 }));
        Assert.Equal(PdfSigningException.CertificationNotFirst, second.Code);
    }

    [Fact]
    public async Task The_verifier_rejects_a_signature_added_after_a_p1_certification_and_accepts_a_document_time_stamp()
    {
        var locked = await Certified(1, "Approval");
        var (sneaky, _) = await Sign(locked, new SignatureOptions { FieldName = "Approval", IgnoreCertification = true }); // what our signer refuses to do

        var reports = await Verifier().VerifyAsync(new MemoryStream(sneaky));

        Assert.Equal(2, reports.Count);
        var certification = reports.Single(r => r.CertificationPermissions == 1);
        Assert.False(certification.Valid);
        Assert.Equal(SignatureErrorCodes.AlteredAfterSigning, certification.ErrorCode);
        Assert.Contains(certification.Modifications, m => m.Reason.Contains("DocMDP P=1", StringComparison.Ordinal));
        Assert.True(reports.Single(r => r.FieldName == "Approval").Valid); // the added signature itself holds over its bytes

        foreach (var permissions in new[] { 1, 2 })
        {
            // PAdES lets a document time-stamp follow any certification (B-LTA on a certified upload).
            using var stamped = new MemoryStream();
            await PdfDocumentTimestamp.AddAsync(new MemoryStream(await Certified(permissions, "Approval")), stamped, pki.Tsa);
            var both = await Verifier().VerifyAsync(new MemoryStream(stamped.ToArray()));
            Assert.Equal(2, both.Count);
            Assert.All(both, r => Assert.True(r.Valid, $"P={permissions} {r.FieldName}: {r.ErrorCode} {r.Message}"));
            Assert.Equal(permissions, both.Single(r => r.SubFilter != "ETSI.RFC3161").CertificationPermissions);
        }
    }

    [Fact]
    public async Task An_uncertified_document_can_be_signed_into_a_named_field_too()
    {
        var (signed, result) = await Sign(TestPdfs.Simple(new TestPdfs.Options { EmptySignatureField = "Approval", IndirectAnnots = true }),
            new SignatureOptions { FieldName = "Approval" });

        Assert.Equal("Approval", result.FieldName);
        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed)));
        Assert.True(report.Valid, report.Message);
        Assert.True(report.CoversWholeDocument);
    }

    /// <summary>A certification signature (our signer, a file key) on a document that keeps an empty field for the seal.</summary>
    private async Task<byte[]> Certified(int permissions, string? emptyField)
    {
        var (certified, _) = await Sign(TestPdfs.Simple(new TestPdfs.Options { EmptySignatureField = emptyField }),
            new SignatureOptions { CertifyPermissions = permissions, Rect = new PdfRect(72, 80, 100, 40), Reason = "certified by the approval system" });
        return certified;
    }

    private async Task<(byte[] Pdf, SignResult Result)> Sign(byte[] pdf, SignatureOptions options, KeySource source = KeySource.File)
    {
        using var output = new MemoryStream();
        var result = await PdfSigner.SignAsync(new MemoryStream(pdf), output, pki.Creator(SealKeyAlgorithm.Rsa, source), options);
        return (output.ToArray(), result);
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true })));

    private static SealAppearance RedSquare()
    {
        var rgba = new byte[32 * 32 * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            (rgba[i], rgba[i + 3]) = (220, 255);
        }

        return SealAppearance.FromRgba(32, 32, rgba);
    }
}
