using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Auth;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Verification;

/// <summary>
/// What the service issues, in every key algorithm and PAdES level it offers, verifies valid through every front end:
/// REST, gRPC, sealctl and the public page; both a template document and a signed upload.
/// </summary>
public abstract class IssuedProfileTests<THost>(THost host, string profile, string keyOid) where THost : GrpcHostFactory
{
    private const string Seal = "seal-mudan-spj-shatu";
    private const string Matter = "mat-heze-mudan-011";
    private const string Township = "twp-mudan-shatu";

    [Fact]
    public async Task A_template_document_is_valid_everywhere() =>
        await AssertValidEverywhereAsync(await IssueAsync(Template(Seal, Matter, "decide", Township, "licence-decision", CaseNumber("T")), null));

    [Fact]
    public async Task A_stamped_upload_is_valid_everywhere() =>
        await AssertValidEverywhereAsync(await IssueAsync(Upload(Seal, Matter, "decide", Township, CaseNumber("U")), TestPdfs.Plain()));

    /// <summary>
    /// The dev TSA, like many, truncates genTime to whole seconds: a stamp made in the same second as the seal's
    /// resumption has a time-stamp earlier than the resumption. The delegation is judged at the decision the seal-use
    /// record holds, which the time-stamp bounds, so the document is valid (CI found this on a fast machine).
    /// </summary>
    [Fact]
    public async Task A_stamp_in_the_same_second_as_the_seals_resumption_is_valid()
    {
        await IssueAsync(Upload(Seal, Matter, "decide", Township, CaseNumber("W")), TestPdfs.Plain()); // warm: the timing below is tight
        var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(SealClaims.RegistryAdmin, "管理员"));
        var fraction = host.Clock.GetUtcNow().TimeOfDay.TotalSeconds % 1;
        host.Clock.Advance(TimeSpan.FromSeconds(fraction < 0.45 ? 0.5 - fraction : 1.5 - fraction));
        await (await admin.PostAsJsonAsync($"/api/v1/seals/{Seal}/suspend", new { reason = "年检暂停" })).Json();
        host.Clock.Advance(TimeSpan.FromSeconds(0.7));
        await (await admin.PostAsJsonAsync($"/api/v1/seals/{Seal}/resume", new { reason = "年检完成" })).Json();

        var (pdf, _) = await IssueAsync(Upload(Seal, Matter, "decide", Township, CaseNumber("S")), TestPdfs.Plain());

        var report = await (await PostAsync(host.CreateClient(), "/api/v1/verifications", pdf, Tokens.For(SealClaims.Auditor, "审计员"))).Json(HttpStatusCode.OK);
        Assert.True(report.Str("verdict") == "valid", report.GetRawText());
        Assert.Contains("DELEGATION_IN_FORCE", Assert.Single(report.GetProperty("signatures").EnumerateArray()).GetProperty("checks").EnumerateArray().Select(c => c.Str("code")));
    }

    private async Task AssertValidEverywhereAsync((byte[] Pdf, string DocumentId) issued)
    {
        var (pdf, id) = issued;
        Assert.Equal(keyOid, await SignerKeyOidAsync(pdf));
        var rest = await (await PostAsync(host.CreateClient(), "/api/v1/verifications", pdf, Tokens.For(SealClaims.Auditor, "审计员"))).Json(HttpStatusCode.OK);
        Assert.True(rest.Str("verdict") == "valid", rest.GetRawText());
        var signature = Assert.Single(rest.GetProperty("signatures").EnumerateArray());
        Assert.Equal(profile, signature.Str("profile"));
        Assert.Equal(id, signature.GetProperty("scope").Str("documentId"));
        Assert.Contains("ISSUED_DOCUMENT", rest.GetProperty("checks").EnumerateArray().Select(c => c.Str("code")));
        var timeStamped = profile == "PAdES-baseline-T";
        Assert.Equal(timeStamped, signature.GetProperty("checks").EnumerateArray().Any(c => c.Str("code") == "TIMESTAMP_VALID" && c.Str("status") == "pass"));

        var grpc = await GrpcVerificationTests.VerifyAsync(new SealService.Api.Grpc.V1.Verification.VerificationClient(host.Channel), pdf, null);
        Assert.Equal("valid", grpc.Verdict);
        Assert.Equal(id, grpc.DocumentId);

        var folder = Directory.CreateTempSubdirectory("sealctl-profile-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "issued.pdf"), pdf);
            var cli = ExternalTools.RunIn(folder, "dotnet", Path.Combine(AppContext.BaseDirectory, "sealctl.dll"), "verify", "issued.pdf", "--json");
            Assert.True(cli.ExitCode == 0, cli.All);
            using var json = JsonDocument.Parse(cli.StdOut);
            Assert.Equal("valid", json.RootElement.Str("verdict"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var page = await host.CreateClient().GetStringAsync($"/verify/{id}");
        Assert.Contains("data-verdict=\"valid\"", page);
        var upload = await (await PostAsync(host.CreateClient(), "/verify", pdf, null, id)).Content.ReadAsStringAsync();
        Assert.Contains("data-verdict=\"valid\"", upload);
        Assert.Contains("ISSUED_DOCUMENT", upload);
    }

    private async Task<(byte[] Pdf, string DocumentId)> IssueAsync(object request, byte[]? upload)
    {
        var clerk = host.CreateClient();
        clerk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: Township));
        var response = upload is null ? await clerk.StampJson(request) : await clerk.StampUpload(request, upload);
        var id = (await response.Json(HttpStatusCode.Created)).Str("documentId");
        await host.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        return (await clerk.Download(id), id);
    }

    /// <summary>The signer certificate's key: RSA, or the named curve (P-256 or SM2).</summary>
    private static async Task<string> SignerKeyOidAsync(byte[] pdf)
    {
        var report = Assert.Single(await new SealService.Pdf.Verification.PdfSignatureVerifier(new SealService.Pdf.Verification.KeysCmsSignatureValidator(
            new SealService.Keys.Verification.CmsSignatureVerifier(new SealService.Keys.Verification.CmsVerificationOptions { TrustedRoots = [] }))).VerifyAsync(new MemoryStream(pdf)));
        var signer = new Org.BouncyCastle.Cms.CmsSignedData(report.Cms!).GetSignerInfos().GetSigners().Single();
        var certificate = new Org.BouncyCastle.Cms.CmsSignedData(report.Cms!).GetCertificates().EnumerateMatches(signer.SignerID).Single();
        var algorithm = certificate.SubjectPublicKeyInfo.Algorithm;
        return algorithm.Parameters is Org.BouncyCastle.Asn1.DerObjectIdentifier curve ? curve.Id : algorithm.Algorithm.Id;
    }

    private static string CaseNumber(string kind) => $"PRF-{kind}-{Guid.NewGuid():N}"[..24];

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] pdf, string? token, string? documentId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "document.pdf");
        if (documentId is not null)
            form.Add(new StringContent(documentId), "documentId");
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.PostAsync(path, form);
    }
}

public sealed class RsaBaselineTHost() : GrpcHostFactory(new Dictionary<string, string?>
{
    ["Keys:DevSealAlgorithm"] = "Rsa",
    ["SealService:Stamping:PadesLevel"] = "B-T",
});

public sealed class EcdsaBaselineTHost() : GrpcHostFactory(new Dictionary<string, string?>
{
    ["Keys:DevSealAlgorithm"] = "Ecdsa",
    ["SealService:Stamping:PadesLevel"] = "B-T",
});

public sealed class Sm2BaselineBHost() : GrpcHostFactory(new Dictionary<string, string?>
{
    ["Keys:DevSealAlgorithm"] = "Sm2",
    ["SealService:Stamping:PadesLevel"] = "B-B",
});

public sealed class RsaBaselineTProfileTests(RsaBaselineTHost host)
    : IssuedProfileTests<RsaBaselineTHost>(host, "PAdES-baseline-T", "1.2.840.113549.1.1.1"), IClassFixture<RsaBaselineTHost>;

public sealed class EcdsaBaselineTProfileTests(EcdsaBaselineTHost host)
    : IssuedProfileTests<EcdsaBaselineTHost>(host, "PAdES-baseline-T", "1.2.840.10045.3.1.7"), IClassFixture<EcdsaBaselineTHost>;

public sealed class Sm2BaselineBProfileTests(Sm2BaselineBHost host)
    : IssuedProfileTests<Sm2BaselineBHost>(host, "PAdES-baseline", "1.2.156.10197.1.301"), IClassFixture<Sm2BaselineBHost>;
