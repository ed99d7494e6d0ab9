using System.Net;
using Org.BouncyCastle.X509;
using SealService.Api.Tests.Infrastructure;
using SealService.Keys.Verification;
using SealService.Pdf.Verification;
using SealService.TestSupport;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>The host at SealService:Stamping:PadesLevel=B-LT: every stamp gets a DSS with its OCSP answers from the dev CA.</summary>
public sealed class LongTermStampingHost : SealApiFactory
{
    public LongTermStampingHost()
        : base(new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["SealService:Stamping:PadesLevel"] = "B-LT",
        })
    {
    }

    public string RootPem => Path.Combine(DataDirectory, "dev-keys", "root-ca.pem");
}

public sealed class LongTermStampingTests(LongTermStampingHost host) : IClassFixture<LongTermStampingHost>
{
    [Fact]
    public async Task A_b_lt_stamp_carries_the_ocsp_answers_and_stays_valid_for_qpdf_pdfsig_and_our_verifier()
    {
        var clerk = host.Clerk("twp-mudan-shatu");
        var body = await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "LT-2026-000001")))
            .Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(body.Str("documentId"));
        Assert.Equal(body.Str("sha256"), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));

        var path = Path.Combine(host.DataDirectory, "b-lt.pdf");
        File.WriteAllBytes(path, pdf);
        var qpdf = ExternalTools.QpdfCheck(path);
        Assert.True(qpdf.ExitCode == 0, qpdf.All);
        var nss = ExternalTools.CreateNssDb(host.RootPem);
        try
        {
            var pdfsig = ExternalTools.Pdfsig(path, nss).StdOut;
            Assert.Contains("Signature Validation: Signature is Valid.", pdfsig);
            Assert.Contains("Certificate Validation: Certificate is Trusted.", pdfsig);
        }
        finally
        {
            Directory.Delete(nss, recursive: true);
        }

        var root = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(host.RootPem));
        var verifier = new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
            new CmsVerificationOptions { TrustedRoots = [root], RequireSealCertificate = true })));
        var report = Assert.Single(await verifier.VerifyAsync(new MemoryStream(pdf)));
        Assert.True(report.Valid, $"{report.ErrorCode} {report.Message}");
        Assert.NotNull(report.TimestampTime);
        Assert.Empty(report.Modifications);
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Contains("/Type /DSS", text);
        Assert.Contains("/OCSPs [", text);
        Assert.Equal(SealService.Keys.Revocation.RevocationFinding.Good, report.Revocation?.Status);
        Assert.Equal("B-LT", report.Level);

        // The service's own report names what it relied on.
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "document.pdf");
        var verified = await (await host.Auditor().PostAsync("/api/v1/verifications", form)).Json(HttpStatusCode.OK);
        var checks = verified.GetProperty("signatures")[0].GetProperty("checks").EnumerateArray().ToList();
        var revocation = Assert.Single(checks, c => c.Str("code") == "CERT_NOT_REVOKED");
        Assert.Contains("OCSP", revocation.ToString());
    }
}
