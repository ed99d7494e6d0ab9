using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>A development host at the default level (B-B) whose verification may fetch revocation (from its dev CA).</summary>
public sealed class FetchingVerificationHost : SealApiFactory
{
    public FetchingVerificationHost()
        : base(new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["Verification:FetchRevocation"] = "true",
        })
    {
    }

    public string RootPem => Path.Combine(DataDirectory, "dev-keys", "root-ca.pem");
}

/// <summary>
/// The PAdES level per request (<c>signatureLevel</c>) and per seal (its registry version), over the host's default;
/// and a document signed before its seal was revoked stays valid with the note, when the verifier fetches.
/// </summary>
public sealed class SignatureLevelTests(FetchingVerificationHost host) : IClassFixture<FetchingVerificationHost>
{
    private const string Shatu = "twp-mudan-shatu";

    [Fact]
    public async Task A_request_asks_for_b_lta_and_gets_dss_and_document_time_stamp_judged_by_qpdf_pdfsig_and_our_verifier()
    {
        var clerk = host.Clerk(Shatu);
        var body = await (await clerk.StampJson(WithLevel(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "LVL-2026-000001"), "B-LTA")))
            .Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(body.Str("documentId"));

        PdfChecks.AssertLongTerm(pdf, host.RootPem, "B-LTA");

        var verified = await VerifyAsync(pdf);
        Assert.True(verified.Str("verdict") is "valid" or "valid-with-warnings", verified.ToString()); // the warning: a tree head is pending
        Assert.Contains(verified.GetProperty("signatures").EnumerateArray(), s => s.TryGetProperty("level", out var l) && l.GetString() == "B-LTA");
    }

    [Fact]
    public async Task The_seal_s_level_applies_unless_the_request_names_another()
    {
        const string seal = "seal-mudan-spj-shatu";
        var admin = host.Admin();
        var current = await admin.GetJson($"/api/v1/seals/{seal}");
        var amended = await (await admin.PutAsJsonAsync($"/api/v1/seals/{seal}", SealBody(current, "B-T"))).Json();
        Assert.Equal("B-T", amended.Str("signatureLevel"));
        Assert.Equal("B-T", (await admin.GetJson($"/api/v1/seals/{seal}")).Str("signatureLevel")); // stored, read back
        var bad = await admin.PutAsJsonAsync($"/api/v1/seals/{seal}", SealBody(amended, "B-XL"));
        var problem = await bad.AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("signatureLevel", out _), problem.ToString());

        var clerk = host.Clerk(Shatu);
        var bySeal = await StampAsync(clerk, Template(seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "LVL-2026-000002"));
        var byRequest = await StampAsync(clerk, WithLevel(Template(seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "LVL-2026-000003"), "B-B"));

        var sealReport = Assert.Single(await PdfChecks.Verifier(host.RootPem).VerifyAsync(new MemoryStream(bySeal)));
        Assert.Equal("B-T", sealReport.Level);
        Assert.NotNull(sealReport.TimestampTime);
        var requestReport = Assert.Single(await PdfChecks.Verifier(host.RootPem).VerifyAsync(new MemoryStream(byRequest)));
        Assert.Equal("B-B", requestReport.Level);
        Assert.Null(requestReport.TimestampTime);

        var history = (await admin.GetJson($"/api/v1/seals/{seal}/history")).EnumerateArray().ToList();
        Assert.Contains(history, v => v.GetProperty("signatureLevel").ValueKind == JsonValueKind.Null); // earlier versions keep theirs
    }

    [Fact]
    public async Task An_unknown_level_in_a_request_is_refused_before_a_number_is_taken()
    {
        var response = await host.Clerk(Shatu).StampJson(WithLevel(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "LVL-2026-000004"), "B-LTV"));

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Contains("B-LTA", problem.GetProperty("errors").GetProperty("signatureLevel")[0].GetString());
    }

    [Fact]
    public async Task A_document_stamped_before_its_seal_was_revoked_stays_valid_with_the_revocation_noted()
    {
        const string seal = "seal-zezhou-xx";
        var clerk = host.Clerk("twp-zezhou-xx");
        var pdf = await StampAsync(clerk, Template(seal, "mat-jincheng-zezhou-town-007", "decide", "twp-zezhou-xx", "certificate", "ZZX-2026-000777"));
        var before = await VerifyAsync(pdf);
        Assert.True(before.Str("verdict") is "valid" or "valid-with-warnings", before.ToString());
        Assert.Contains("CERT_NOT_REVOKED", Codes(await VerifyAsync(pdf))); // fetched from the dev CA: good

        // Revocation times and /M have whole seconds; the same second would read as revoked at signing (fail closed).
        host.Clock.Advance(TimeSpan.FromSeconds(2));
        (await host.Admin().Post($"/api/v1/seals/{seal}/revoke", new { reason = "印章遗失" })).EnsureSuccessStatusCode();

        var after = await VerifyAsync(pdf);
        var codes = Codes(after);
        Assert.Contains("CERT_REVOKED_AFTER_SIGNING", codes);
        Assert.DoesNotContain("CERT_REVOKED", codes);
        Assert.StartsWith("valid", after.Str("verdict"));
        var signature = after.GetProperty("signatures")[0];
        Assert.True(signature.GetProperty("intact").GetBoolean());
        Assert.True(signature.GetProperty("trusted").GetBoolean());
        var stamp = await clerk.StampJson(Template(seal, "mat-jincheng-zezhou-town-007", "decide", "twp-zezhou-xx", "certificate", "ZZX-2026-000778"));
        Assert.NotEqual(HttpStatusCode.Created, stamp.StatusCode); // and the revoked seal stamps no more
    }

    private async Task<byte[]> StampAsync(HttpClient clerk, object request)
    {
        var body = await (await clerk.StampJson(request)).Json(HttpStatusCode.Created);
        return await clerk.Download(body.Str("documentId"));
    }

    private async Task<JsonElement> VerifyAsync(byte[] pdf)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "document.pdf");
        return await (await host.Auditor().PostAsync("/api/v1/verifications", form)).Json(HttpStatusCode.OK);
    }

    private static List<string> Codes(JsonElement report) =>
        [.. report.GetProperty("signatures")[0].GetProperty("checks").EnumerateArray().Select(c => c.Str("code"))];

    private static object SealBody(JsonElement view, string level) => new
    {
        name = view.Str("name"),
        kind = view.Str("kind"),
        actingBodyId = view.Str("actingBodyId"),
        holdingTownshipId = view.GetProperty("holdingTownshipId").GetString(),
        validity = JsonSerializer.Deserialize<JsonElement>(view.GetProperty("validity").GetRawText()),
        keyRef = view.Str("keyRef"),
        arcText = view.GetProperty("arcText").GetString(),
        purposeText = view.GetProperty("purposeText").GetString(),
        version = view.GetProperty("version").GetInt32(),
        reason = "签章级别",
        signatureLevel = level,
    };
}

/// <summary>A development host whose key folder has no dev TSA (and no Keys:Tsa:Url): it can sign at B-B only.</summary>
public sealed class NoTsaHost : SealApiFactory
{
    public NoTsaHost()
        : base(new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["Keys:Directory"] = KeyFolderWithoutTsa(),
        })
    {
    }

    private static string KeyFolderWithoutTsa()
    {
        var folder = Directory.CreateTempSubdirectory("sealservice-no-tsa-").FullName;
        foreach (var name in new[] { "root-ca.pem", "root-ca.p12", "issuing-ca.pem", "issuing-ca.p12" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "certs-dev", name), Path.Combine(folder, name));
        return folder;
    }
}

public sealed class SignatureLevelUnavailableTests(NoTsaHost host) : IClassFixture<NoTsaHost>
{
    private const string Shatu = "twp-mudan-shatu";

    [Fact]
    public async Task A_level_that_needs_a_tsa_is_refused_with_its_code_and_takes_no_number()
    {
        var clerk = host.Clerk(Shatu);
        var first = await (await clerk.StampJson(Request("NT-2026-000001", null))).Json(HttpStatusCode.Created);

        var refused = await clerk.StampJson(Request("NT-2026-000002", "B-T"));
        var problem = await refused.AssertProblem(HttpStatusCode.UnprocessableEntity, "SIGNATURE_LEVEL_UNAVAILABLE");
        Assert.Contains("Keys:Tsa:Url", problem.GetProperty("detail").GetString());

        var next = await (await clerk.StampJson(Request("NT-2026-000003", "B-B"))).Json(HttpStatusCode.Created);
        Assert.Equal(Sequence(first.Str("documentNumber")) + 1, Sequence(next.Str("documentNumber"))); // no number voided in between
    }

    private static object Request(string caseNumber, string? level)
    {
        var request = Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", caseNumber);
        return level is null ? request : WithLevel(request, level);
    }

    private static int Sequence(string documentNumber) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(documentNumber, @"(\d+)号$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
