using System.Net;
using SealService.Api.Tests.Infrastructure;
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

        var report = PdfChecks.AssertLongTerm(pdf, host.RootPem, "B-LT");
        Assert.NotNull(report.TimestampTime);
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Contains("/Type /DSS", text);
        Assert.Contains("/OCSPs [", text);
        Assert.Equal(SealService.Keys.Revocation.RevocationFinding.Good, report.Revocation?.Status);

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
