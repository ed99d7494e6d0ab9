using Org.BouncyCastle.Ocsp;
using SealService.Keys;
using SealService.Keys.Revocation;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;
using SealService.TestSupport;

namespace SealService.Pdf.Tests.Signing;

/// <summary>
/// PAdES B-LT: a B-T signature, then a DSS update with the OCSP answers of the dev CA for the seal and TSA
/// certificates. qpdf, pdfsig (the DSS-only tail) and our verifier accept it; the answers are in the file.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class LongTermValidationTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, KeySource.Pkcs11)]
    public async Task A_dss_with_ocsp_answers_keeps_the_signature_valid_everywhere(SealKeyAlgorithm algorithm, KeySource source)
    {
        using var signed = await SignedAtBaselineT(algorithm, source);
        using var ca = pki.Pki.OpenIssuingCa();
        var client = new LocalRevocationClient(new RevocationAuthority(ca, new AllGood()));
        using var extended = new MemoryStream();

        var result = await PdfValidationData.AppendAsync(signed, extended,
            (cms, ct) => ValidationDataCollector.CollectAsync(cms, client, [pki.Pki.RootCertificate], ct));

        Assert.Equal(2, result.OcspResponses); // the seal certificate and the TSA certificate, both issued by the issuing CA
        Assert.True(result.Certificates >= 4, $"{result.Certificates} certificates");
        var path = _tmp.File($"b-lt-{algorithm}-{source}.pdf");
        await File.WriteAllBytesAsync(path, extended.ToArray());
        var qpdf = ExternalTools.QpdfCheck(path);
        Assert.True(qpdf.ExitCode == 0, qpdf.All);
        var pdfsig = ExternalTools.Pdfsig(path, pki.NssDir).StdOut;
        Assert.Contains("Signature Validation: Signature is Valid.", pdfsig);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", pdfsig);

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(extended.ToArray())));
        Assert.True(report.Valid, $"{report.ErrorCode} {report.Message} {string.Join("; ", report.Modifications)}");
        Assert.False(report.CoversWholeDocument); // the DSS revision follows it
        Assert.Empty(report.Modifications);

        Assert.Equal(RevocationFinding.Good, report.Revocation?.Status);
        Assert.Equal("OCSP answer in the document", report.Revocation?.Source);
        Assert.Equal("B-LT", report.Level);

        var text = System.Text.Encoding.Latin1.GetString(extended.ToArray());
        Assert.Contains("/Type /DSS", text);
        Assert.Contains("/" + result.VriKey, text);
    }

    [Fact]
    public async Task B_lta_adds_a_document_time_stamp_over_the_dss_and_everything_stays_valid()
    {
        using var signed = await SignedAtBaselineT();
        using var lt = new MemoryStream();
        await AppendFromDevCa(signed, lt, new AllGood());
        using var lta = new MemoryStream();

        var stamp = await PdfDocumentTimestamp.AddAsync(lt, lta, pki.Tsa);

        var path = _tmp.File("b-lta.pdf");
        await File.WriteAllBytesAsync(path, lta.ToArray());
        var qpdf = ExternalTools.QpdfCheck(path);
        Assert.True(qpdf.ExitCode == 0, qpdf.All);
        var pdfsig = ExternalTools.Pdfsig(path, pki.NssDir).StdOut.Split("Signature #")[1..];
        Assert.Equal(2, pdfsig.Length);
        var seal = Assert.Single(pdfsig, s => s.Contains("Signature Type: ETSI.CAdES.detached", StringComparison.Ordinal));
        Assert.Contains("Signature Validation: Signature is Valid.", seal);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", seal);
        // poppler 22.12 lists a document time-stamp but cannot check one ("Signature Type: unknown", "not yet been
        // verified"): it is read as the TSA's, covering the whole file, and our verifier is its judge below.
        var docTimestamp = Assert.Single(pdfsig, s => s.Contains("Signer Certificate Common Name: SealService Dev TSA", StringComparison.Ordinal));
        Assert.Contains("Total document signed", docTimestamp);
        Assert.DoesNotContain("Signature is Invalid", docTimestamp);

        var reports = await Verifier().VerifyAsync(new MemoryStream(lta.ToArray()));
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.Valid, $"{r.FieldName}: {r.ErrorCode} {r.Message} {string.Join("; ", r.Modifications)}"));
        var timestamp = Assert.Single(reports, r => r.SubFilter == "ETSI.RFC3161");
        Assert.Equal(stamp.FieldName, timestamp.FieldName);
        Assert.True(timestamp.CoversWholeDocument);
        Assert.NotNull(timestamp.TimestampTime);
        Assert.Equal(RevocationFinding.Good, reports.Single(r => r.SubFilter == "ETSI.CAdES.detached").Revocation?.Status);
        Assert.Equal("B-LTA", reports.Single(r => r.SubFilter == "ETSI.CAdES.detached").Level);
        Assert.Null(timestamp.Level);
    }

    [Theory]
    [InlineData(60, true)]   // revoked an hour after signing: still valid, with the note
    [InlineData(-1, false)]  // revoked a minute before the signature's time-stamp: invalid
    public async Task Our_verifier_judges_revocation_at_the_signing_time_from_the_embedded_answers(int revokedMinutesFromNow, bool stillValid)
    {
        using var signed = await SignedAtBaselineT();
        var seal = pki.Creator(SealKeyAlgorithm.Rsa).SignerCertificate;
        var revokedAt = DateTimeOffset.UtcNow.AddMinutes(revokedMinutesFromNow);
        using var extended = new MemoryStream();
        await AppendFromDevCa(signed, extended, new AllGood(seal.SerialNumber, revokedAt));

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(extended.ToArray())));

        Assert.Equal(stillValid, report.Valid);
        Assert.Equal(stillValid ? RevocationFinding.RevokedAfterSigning : RevocationFinding.Revoked, report.Revocation?.Status);
        Assert.Equal(revokedAt.ToUnixTimeSeconds(), report.Revocation?.RevokedAt?.ToUnixTimeSeconds());
        Assert.Equal(stillValid ? null : SignatureErrorCodes.CertificateRevoked, report.ErrorCode);
        var codes = SealService.Pdf.Verification.Reports.SignatureFindings.From(report).Checks.Select(c => c.Code).ToList();
        Assert.Contains(stillValid ? "CERT_REVOKED_AFTER_SIGNING" : "CERT_REVOKED", codes);
    }

    [Fact]
    public async Task A_time_stamp_whose_tsa_certificate_was_revoked_before_it_proves_nothing()
    {
        using var signed = await SignedAtBaselineT();
        using var good = new MemoryStream();
        await AppendFromDevCa(new MemoryStream(signed.ToArray()), good, new AllGood());
        using var revoked = new MemoryStream();
        await AppendFromDevCa(signed, revoked, new AllGood(pki.Tsa.Certificate.SerialNumber, DateTimeOffset.UtcNow.AddMinutes(-1)));

        var fine = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(good.ToArray())));
        Assert.True(fine.Valid);
        Assert.Equal(RevocationFinding.Good, fine.TimestampRevocation?.Status);
        Assert.Contains("TIMESTAMP_CERT_NOT_REVOKED", SealService.Pdf.Verification.Reports.SignatureFindings.From(fine).Checks.Select(c => c.Code));

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(revoked.ToArray())));
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.TimestampCertificateRevoked, report.ErrorCode);
        Assert.Equal(RevocationFinding.Good, report.Revocation?.Status); // the seal's own certificate is fine
        Assert.Equal(RevocationFinding.Revoked, report.TimestampRevocation?.Status);
        Assert.Contains("TIMESTAMP_CERT_REVOKED", SealService.Pdf.Verification.Reports.SignatureFindings.From(report).Checks.Select(c => c.Code));
    }

    [Fact]
    public async Task Without_embedded_answers_revocation_is_reported_as_not_checked()
    {
        using var signed = await SignedAtBaselineT();

        var report = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed.ToArray())));

        Assert.True(report.Valid);
        Assert.Equal("B-T", report.Level);
        Assert.Equal(RevocationFinding.NotChecked, report.Revocation?.Status);
        Assert.Contains("no OCSP answer or CRL", report.Revocation?.Source);
    }

    [Fact]
    public async Task The_dss_answers_are_the_cas_and_say_revoked_for_a_revoked_seal()
    {
        using var signed = await SignedAtBaselineT();
        using var ca = pki.Pki.OpenIssuingCa();
        var seal = pki.Creator(SealKeyAlgorithm.Rsa).SignerCertificate;
        var revokedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var client = new LocalRevocationClient(new RevocationAuthority(ca, new AllGood(seal.SerialNumber, revokedAt)));
        var cms = Assert.Single(await Verifier().VerifyAsync(new MemoryStream(signed.ToArray()))).Cms!;
        var data = await ValidationDataCollector.CollectAsync(cms, client, [pki.Pki.RootCertificate]);

        var statuses = data.OcspResponses.Select(r => ((BasicOcspResp)new OcspResp(r).GetResponseObject()).Responses.Single()).ToList();
        Assert.Contains(statuses, s => s.GetCertID().SerialNumber.Equals(seal.SerialNumber) && s.GetCertStatus() is RevokedStatus);
        Assert.Contains(statuses, s => s.GetCertStatus() == CertificateStatus.Good);
    }

    private async Task<MemoryStream> SignedAtBaselineT(SealKeyAlgorithm algorithm = SealKeyAlgorithm.Rsa, KeySource source = KeySource.File)
    {
        var signed = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(TestPdfs.Simple()), signed, pki.Creator(algorithm, source), new SignatureOptions { Level = PadesLevel.BaselineT });
        return signed;
    }

    /// <summary>The B-LT step with the fixture's issuing CA answering from <paramref name="statuses"/>.</summary>
    private async Task AppendFromDevCa(Stream signed, Stream output, ICertificateStatusSource statuses)
    {
        using var ca = pki.Pki.OpenIssuingCa();
        var client = new LocalRevocationClient(new RevocationAuthority(ca, statuses));
        await PdfValidationData.AppendAsync(signed, output, (cms, ct) => ValidationDataCollector.CollectAsync(cms, client, [], ct));
    }

    private PdfSignatureVerifier Verifier() => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true })));

    private sealed class AllGood(Org.BouncyCastle.Math.BigInteger? revoked = null, DateTimeOffset at = default) : ICertificateStatusSource
    {
        public Task<RevocationStatus?> FindAsync(Org.BouncyCastle.Math.BigInteger serialNumber, CancellationToken cancellationToken) =>
            Task.FromResult<RevocationStatus?>(serialNumber.Equals(revoked) ? new RevocationStatus(at, RevocationReason.KeyCompromise) : RevocationStatus.Good);

        public Task<IReadOnlyList<(Org.BouncyCastle.Math.BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(Org.BouncyCastle.Math.BigInteger, RevocationStatus)>>([]);
    }
}
