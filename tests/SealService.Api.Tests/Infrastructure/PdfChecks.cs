using Org.BouncyCastle.X509;
using SealService.Keys.Verification;
using SealService.Pdf.Verification;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// qpdf --check, poppler's pdfsig (NSS db trusting the dev root) and our own verifier (ByteRange, CMS, chain to the dev
/// root) on a stamped PDF.
/// </summary>
public static class PdfChecks
{
    /// <returns>Our verifier's report per signature, for further checks (signer, times).</returns>
    public static IReadOnlyList<PdfSignatureReport> AssertValid(byte[] pdf, string rootPem, int expectedSignatures)
    {
        var dir = Directory.CreateTempSubdirectory("stamped-").FullName;
        try
        {
            var path = Path.Combine(dir, "doc.pdf");
            File.WriteAllBytes(path, pdf);
            var qpdf = ExternalTools.QpdfCheck(path);
            Assert.True(qpdf.ExitCode == 0, "qpdf --check: " + qpdf.All);
            var nss = ExternalTools.CreateNssDb(rootPem);
            try
            {
                var text = ExternalTools.Pdfsig(path, nss).All;
                var signatures = text.Split("Signature #")[1..];
                Assert.Equal(expectedSignatures, signatures.Length);
                Assert.All(signatures, s => Assert.Contains("Signature Validation: Signature is Valid.", s, StringComparison.Ordinal));
                // poppler 22.12 re-reads a stale NSS error for a certificate it has already checked in the same run and
                // prints "Unknown issue with Certificate" for later signatures by the same seal (see docs/keys.md); the first
                // signature's trust is pdfsig's, every signature's chain is checked by our verifier below.
                Assert.Contains("Certificate Validation: Certificate is Trusted.", signatures[0], StringComparison.Ordinal);
                // pdfsig lists signatures in /Fields order: one signed into an existing field is not always the last listed.
                Assert.Single(signatures, s => s.Contains("- Total document signed", StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(nss, recursive: true);
            }

            using var stream = new MemoryStream(pdf);
            var reports = Verifier(rootPem).VerifyAsync(stream).GetAwaiter().GetResult();
            Assert.Equal(expectedSignatures, reports.Count);
            Assert.All(reports, r => Assert.True(r.Valid, $"{r.FieldName}: {r.ErrorCode} {r.Message}"));
            Assert.True(reports[^1].CoversWholeDocument);
            return reports;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A B-LT or B-LTA stamp: qpdf is clean; pdfsig calls the seal's signature valid and trusted (a DSS-only tail, then
    /// maybe a document time-stamp, which poppler 22.12 lists but cannot judge: it must not be called invalid); our
    /// verifier finds every signature valid and gives the seal <paramref name="level"/>.
    /// </summary>
    public static PdfSignatureReport AssertLongTerm(byte[] pdf, string rootPem, string level)
    {
        var dir = Directory.CreateTempSubdirectory("stamped-lt-").FullName;
        var nss = ExternalTools.CreateNssDb(rootPem);
        try
        {
            var path = Path.Combine(dir, "doc.pdf");
            File.WriteAllBytes(path, pdf);
            var qpdf = ExternalTools.QpdfCheck(path);
            Assert.True(qpdf.ExitCode == 0, "qpdf --check: " + qpdf.All);
            var blocks = ExternalTools.Pdfsig(path, nss).StdOut.Split("Signature #")[1..];
            var seal = Assert.Single(blocks, b => b.Contains("ETSI.CAdES.detached", StringComparison.Ordinal));
            Assert.Contains("Signature Validation: Signature is Valid.", seal);
            Assert.Contains("Certificate Validation: Certificate is Trusted.", seal);
            Assert.All(blocks, b => Assert.DoesNotContain("Signature is Invalid", b));
        }
        finally
        {
            Directory.Delete(nss, recursive: true);
            Directory.Delete(dir, recursive: true);
        }

        var reports = Verifier(rootPem).VerifyAsync(new MemoryStream(pdf)).GetAwaiter().GetResult();
        Assert.All(reports, r => Assert.True(r.Valid, $"{r.FieldName}: {r.ErrorCode} {r.Message}"));
        Assert.Equal(level == "B-LTA" ? 2 : 1, reports.Count);
        var sealReport = reports.Single(r => r.SubFilter == "ETSI.CAdES.detached");
        Assert.Equal(level, sealReport.Level);
        Assert.Empty(sealReport.Modifications);
        return sealReport;
    }

    /// <summary>Our verifier trusting <paramref name="rootPem"/>, requiring seal certificates, offline.</summary>
    public static PdfSignatureVerifier Verifier(string rootPem) => new(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
        new CmsVerificationOptions { TrustedRoots = [new X509CertificateParser().ReadCertificate(File.ReadAllBytes(rootPem))], RequireSealCertificate = true })));
}
