using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Verification;

/// <summary>
/// The report, through the REST API and the public page, on documents the real service issued: signature, changes after
/// signing, the registry at the signing time and now, the seal-use record, the ledger, and "is this the issued file".
/// </summary>
public sealed class VerificationTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    [Fact]
    public async Task An_issued_template_document_verifies_valid_with_every_registry_and_ledger_check()
    {
        var (pdf, id, sc) = await IssueAsync("VER-OK-1");

        var report = await VerifyApi(factory.Auditor(), pdf);
        Assert.Equal("valid", report.Str("verdict"));
        var signature = Assert.Single(report.GetProperty("signatures").EnumerateArray());
        Assert.True(signature.GetProperty("intact").GetBoolean());
        Assert.True(signature.GetProperty("trusted").GetBoolean());
        Assert.Equal("entire-file", signature.Str("coverage"));
        Assert.Empty(signature.GetProperty("modifications").EnumerateArray());
        Assert.Equal("PAdES-baseline", signature.Str("profile"));
        Assert.Equal(id, signature.GetProperty("scope").Str("documentId"));
        var codes = Codes(signature);
        Assert.Equal(["DELEGATION_IN_FORCE", "LEDGER_INCLUDED", "SEAL_USE_RECORDED", "SIGNATURE_INTACT", "SIGNER_TRUSTED"], codes.Order());
        Assert.Contains("ISSUED_DOCUMENT", Codes(report));
        Assert.Equal(id, report.GetProperty("document").Str("documentId"));
        Assert.Equal(sc.Seal, report.GetProperty("document").Str("sealId"));
    }

    [Fact]
    public async Task A_document_stamped_twice_in_turn_is_the_issued_document_of_its_second_stamp()
    {
        var (first, firstId, sc) = await IssueAsync("VER-TWICE-1");
        var clerk = factory.Clerk(sc.TownX);
        var second = await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "issue", sc.TownX, "VER-TWICE-1"), first)).Json(HttpStatusCode.Created);
        var secondId = second.Str("documentId");
        await factory.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        var pdf = await clerk.Download(secondId);

        var report = await VerifyApi(factory.Auditor(), pdf);
        Assert.Equal("valid", report.Str("verdict"));
        Assert.Equal(secondId, report.GetProperty("document").Str("documentId"));
        Assert.Contains("ISSUED_DOCUMENT", Codes(report));
        var signatures = report.GetProperty("signatures").EnumerateArray().ToList();
        Assert.Equal([firstId, secondId], signatures.Select(s => s.GetProperty("scope").Str("documentId")));
        Assert.All(signatures, s => Assert.Contains("LEDGER_INCLUDED", Codes(s)));

        // The first issue, on its own, is still its own issued document.
        Assert.Equal(firstId, (await VerifyApi(factory.Auditor(), first)).GetProperty("document").Str("documentId"));
    }

    [Theory]
    [InlineData("pades-lta-dss-indirect-arrs-test")]
    [InlineData("sig-with-ski-sid")]
    [InlineData("minimal-signed-twice-both-created")]
    public async Task Another_signers_file_stamped_by_the_service_is_valid_with_warnings(string sample)
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var upload = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", "pyhanko", sample + ".pdf"));
        var stamped = await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "VER-FOREIGN-" + sample[..8]), upload)).Json(HttpStatusCode.Created);
        await factory.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();

        var report = await VerifyApi(factory.Auditor(), await clerk.Download(stamped.Str("documentId")));
        Assert.Equal("valid-with-warnings", report.Str("verdict"));
        Assert.Contains("ISSUED_DOCUMENT", Codes(report));
        var signatures = report.GetProperty("signatures").EnumerateArray().ToList();
        var ours = signatures[^1];
        Assert.Equal(stamped.Str("documentId"), ours.GetProperty("scope").Str("documentId"));
        Assert.All(ours.GetProperty("checks").EnumerateArray(), c => Assert.Equal("pass", c.Str("status")));
        Assert.All(signatures[..^1], s =>
        {
            Assert.True(s.GetProperty("intact").GetBoolean());
            Assert.False(s.GetProperty("trusted").GetBoolean());
            Assert.Contains("SIGNER_NOT_TRUSTED", Codes(s));
        });
    }

    [Fact]
    public async Task A_page_changed_after_issue_is_altered()
    {
        var (pdf, _, _) = await IssueAsync("VER-ALT-1");
        var altered = AppendContentChange(pdf);

        var report = await VerifyApi(factory.Auditor(), altered);
        Assert.Equal("altered", report.Str("verdict"));
        Assert.Contains("NOT_ISSUED_DOCUMENT", Codes(report));
        Assert.Contains("ALTERED_AFTER_SIGNING", Codes(report.GetProperty("signatures")[0]));
    }

    [Fact]
    public async Task A_seal_revoked_after_signing_leaves_the_document_valid_with_a_note()
    {
        var (pdf, _, sc) = await IssueAsync("VER-REV-1");
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await factory.Admin().Post($"/api/v1/seals/{sc.Seal}/revoke", new { reason = "印章遗失" })).Json();

        var report = await VerifyApi(factory.Auditor(), pdf);
        Assert.Equal("valid-with-warnings", report.Str("verdict"));
        var signature = report.GetProperty("signatures")[0];
        Assert.Contains("DELEGATION_IN_FORCE", Codes(signature));
        Assert.Contains("SEAL_STATUS_NOW", Codes(signature));
    }

    [Fact]
    public async Task A_signature_made_with_a_seals_key_after_its_revocation_is_invalid()
    {
        // The key still exists (a stolen copy, a forgotten token): what it signs after the revocation must not verify.
        var (_, _, sc) = await IssueAsync("VER-REVBEFORE-1");
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await factory.Admin().Post($"/api/v1/seals/{sc.Seal}/revoke", new { reason = "印章被盗" })).Json();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var forged = await SignWithSealKeyAsync(sc, "doc-forged-1");

        var report = await VerifyApi(factory.Auditor(), forged);
        Assert.Equal("invalid", report.Str("verdict"));
        var codes = Codes(report.GetProperty("signatures")[0]);
        Assert.Contains("SIGNATURE_INTACT", codes);
        Assert.Contains("SEAL_REVOKED", codes);
        Assert.Contains("SIGNING_TIME_UNVERIFIED", codes);
        Assert.Contains("SEAL_USE_NOT_FOUND", codes);
    }

    [Fact]
    public async Task A_signature_made_after_the_agreement_expired_is_invalid_and_one_made_before_stays_valid()
    {
        var (issued, _, sc) = await IssueAsync("VER-EXP-1");
        var admin = factory.Admin();
        var current = await admin.GetJson($"/api/v1/agreements/{sc.Agreement}");
        var lastDay = SealService.Domain.Model.ChinaTime.DateOf(factory.Clock.GetUtcNow());
        await (await admin.PutAsJsonAsync($"/api/v1/agreements/{sc.Agreement}", new
        {
            version = current.GetProperty("version").GetInt32(),
            departmentId = sc.DeptA,
            townshipId = sc.TownX,
            name = "县甲局委托甲镇办理协议（期限缩短）",
            period = new { from = "2024-01-01", to = lastDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            matters = new[] { new { matterId = sc.MatterA, mode = "entrusted-handling", steps = new[] { "accept", "review", "decide", "issue" } } },
            reason = "协议期限调整",
        })).Json();
        factory.Clock.Advance(TimeSpan.FromDays(2));

        var forged = await SignWithSealKeyAsync(sc, "doc-expired-1");
        var report = await VerifyApi(factory.Auditor(), forged);
        Assert.Equal("invalid", report.Str("verdict"));
        Assert.Contains("AGREEMENT_EXPIRED", Codes(report.GetProperty("signatures")[0]));

        var before = await VerifyApi(factory.Auditor(), issued);
        Assert.Equal("valid", before.Str("verdict"));
        Assert.Contains("DELEGATION_IN_FORCE", Codes(before.GetProperty("signatures")[0]));
    }

    [Fact]
    public async Task Files_that_are_no_pdf_or_too_large_get_a_clear_answer_and_a_token_is_required()
    {
        var auditor = factory.Auditor();
        var notPdf = await VerifyApi(auditor, Encoding.ASCII.GetBytes("hello, this is not a PDF document at all"));
        Assert.Equal("unknown", notPdf.Str("verdict"));
        Assert.Contains("PDF_UNREADABLE", Codes(notPdf));

        var unsigned = await VerifyApi(auditor, TestPdfs.Plain());
        Assert.Equal("invalid", unsigned.Str("verdict"));
        Assert.Contains("NO_SIGNATURE", Codes(unsigned));

        var huge = new byte[(32 << 20) + 1];
        await (await Post(auditor, "/api/v1/verifications", huge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "PDF_TOO_LARGE");
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(anonymous, "/api/v1/verifications", TestPdfs.Plain())).StatusCode);
    }

    [Fact]
    public async Task The_qr_target_page_shows_the_verdict_and_the_registry_facts_without_login()
    {
        var (pdf, id, sc) = await IssueAsync("VER-PAGE-1");
        var anonymous = factory.CreateClient();

        var page = await anonymous.GetAsync($"/verify/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-verdict=\"valid\"", html);
        Assert.Contains("有效：签章真实，文件自签章后未被改动", html);
        Assert.Contains("测试县甲局审批专用章", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"src=\"/public/seals/{sc.Seal}/image.png\"", html);
        var image = await anonymous.GetAsync($"/public/seals/{sc.Seal}/image.png");
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SealService.Pdf.Seals.SealImage.RenderPng(SealService.Pdf.Seals.SealFace.FromSealText("测试县甲局审批专用章（甲镇）"), 600), await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/public/seals/seal-nope/image.png")).StatusCode);

        var altered = await Post(anonymous, "/verify", AppendContentChange(pdf), id);
        var alteredHtml = await altered.Content.ReadAsStringAsync();
        Assert.Contains("data-verdict=\"altered\"", alteredHtml);
        Assert.Contains("NOT_ISSUED_DOCUMENT", alteredHtml);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/doc-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/verify")).StatusCode);
    }

    [Fact]
    public async Task Public_lists_show_a_townships_delegated_matters_and_a_seals_status_history()
    {
        var sc = await Scenario.CreateAsync(factory);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await factory.Admin().Post($"/api/v1/seals/{sc.Seal}/suspend", new { reason = "年检暂停" })).Json();
        var anonymous = factory.CreateClient();

        var seal = await anonymous.GetStringAsync($"/public/seals/{sc.Seal}");
        Assert.Contains("测试县甲局审批专用章", seal);
        Assert.Contains("data-status=\"suspended\"", seal);
        Assert.Contains("年检暂停", seal);

        var township = await anonymous.GetStringAsync($"/public/townships/{sc.TownX}");
        Assert.Contains($"data-matter=\"{sc.MatterA}\"", township);
        Assert.Contains("委托办理", township);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/public/seals/seal-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/public/townships/twp-nope")).StatusCode);
    }

    [Fact]
    public async Task Sealctl_verify_works_offline_from_any_folder_with_the_same_verdicts()
    {
        var (pdf, id, _) = await IssueAsync("VER-CLI-1");
        var folder = Directory.CreateTempSubdirectory("sealctl-verify-").FullName;
        try
        {
            var good = Path.Combine(folder, "issued.pdf");
            var altered = Path.Combine(folder, "altered.pdf");
            var garbage = Path.Combine(folder, "garbage.pdf");
            await File.WriteAllBytesAsync(good, pdf);
            await File.WriteAllBytesAsync(altered, AppendContentChange(pdf));
            await File.WriteAllTextAsync(garbage, "not a pdf, only some text that is long enough");
            var sealctl = Path.Combine(AppContext.BaseDirectory, "sealctl.dll");

            var valid = ExternalTools.RunIn(folder, "dotnet", sealctl, "verify", "issued.pdf", "--json");
            Assert.True(valid.ExitCode == 0, valid.All);
            using var json = JsonDocument.Parse(valid.StdOut);
            Assert.Equal("valid", json.RootElement.Str("verdict"));
            Assert.Equal(id, json.RootElement.GetProperty("signatures")[0].GetProperty("scope").Str("documentId"));

            var changed = ExternalTools.RunIn(folder, "dotnet", sealctl, "verify", "altered.pdf");
            Assert.Equal(1, changed.ExitCode);
            Assert.Contains("verdict: altered", changed.StdOut);

            Assert.Equal(2, ExternalTools.RunIn(folder, "dotnet", sealctl, "verify", "garbage.pdf").ExitCode);

            // Another trust anchor: the seal's chain no longer reaches a trusted root, so our seal's signature is invalid.
            var otherRoot = Path.Combine(folder, "other-root.pem");
            var other = SealService.Keys.Pki.DevPki.Init(Path.Combine(folder, "other-pki"));
            File.Copy(Path.Combine(folder, "other-pki", SealService.Keys.Pki.DevPki.RootCaFile + ".pem"), otherRoot);
            var untrusted = ExternalTools.RunIn(folder, "dotnet", sealctl, "verify", "issued.pdf", "--trust", otherRoot);
            Assert.Equal(1, untrusted.ExitCode);
            Assert.Contains("verdict: invalid", untrusted.StdOut);
            _ = other;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(byte[] Pdf, string DocumentId, Scenario Scenario)> IssueAsync(string caseNumber)
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var stamped = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", caseNumber))).Json(HttpStatusCode.Created);
        var id = stamped.Str("documentId");
        await factory.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        return (await clerk.Download(id), id, sc);
    }

    /// <summary>
    /// A document signed with the seal's own key outside the service (a stolen copy, a forgotten token), stating a
    /// scope as the service would and the host clock's time as its claimed signing time.
    /// </summary>
    private async Task<byte[]> SignWithSealKeyAsync(Scenario sc, string documentId)
    {
        var scope = new SealService.Domain.Stamping.StampScope(sc.Seal, 1, sc.Agreement, 1, SealService.Domain.Model.DelegationMode.EntrustedHandling,
            sc.MatterA, null, "甲局许可事项", SealService.Domain.Model.CaseStep.Decide, SealService.Domain.Model.DocumentKind.Decision, "FORGED-" + documentId, sc.TownX,
            documentId, "测甲甲〔2026〕9999号", "use-" + documentId, null);
        var key = Path.Combine(factory.DataDirectory, "dev-keys", "seals", sc.Seal + ".p12");
        var creator = SealService.Keys.Cms.CadesSignatureCreator.FromPkcs12(key, SealService.Keys.Pki.DevPki.DefaultPassphrase, tsa: null);
        using var forged = new MemoryStream();
        await SealService.Pdf.Signing.PdfSigner.SignAsync(new MemoryStream(TestPdfs.Plain()), forged, creator, new SealService.Pdf.Signing.SignatureOptions
        {
            SigningTime = factory.Clock.GetUtcNow(),
            SignedAttributes = [new SealService.Keys.CmsSignedAttribute(SealService.Keys.Cms.SealServiceOids.StampScopeAttribute, SealService.Keys.Cms.StampScopeAttribute.Encode(scope))],
        });
        return forged.ToArray();
    }

    /// <summary>An incremental update that replaces the first page's content stream.</summary>
    internal static byte[] AppendContentChange(byte[] pdf)
    {
        var reader = SealService.Pdf.Parsing.PdfFileReader.Open(new MemoryStream(pdf));
        var catalog = reader.ResolveDictionary(reader.Trailer["Root"])!;
        var pages = reader.ResolveDictionary(catalog["Pages"])!;
        var page = reader.ResolveDictionary(((SealService.Pdf.Parsing.PdfArray)reader.Resolve(pages["Kids"])!)[0])!;
        var contents = page["Contents"] as SealService.Pdf.Parsing.PdfReference
            ?? (SealService.Pdf.Parsing.PdfReference)((SealService.Pdf.Parsing.PdfArray)reader.Resolve(page["Contents"])!)[0];
        var body = "BT /F1 24 Tf 72 700 Td (Forged) Tj ET";
        var output = new MemoryStream();
        output.Write(pdf);
        var offset = output.Position;
        output.Write(Encoding.ASCII.GetBytes($"{contents.Id.Number} 0 obj\n<< /Length {body.Length} >>\nstream\n{body}\nendstream\nendobj\n"));
        var xref = output.Position;
        var root = (SealService.Pdf.Parsing.PdfReference)reader.Trailer["Root"]!;
        output.Write(Encoding.ASCII.GetBytes($"xref\n{contents.Id.Number} 1\n{offset:D10} 00000 n \ntrailer\n<< /Size {reader.Size} /Root {root.Id} /Prev {reader.StartXref} >>\nstartxref\n{xref}\n%%EOF\n"));
        return output.ToArray();
    }

    private static async Task<JsonElement> VerifyApi(HttpClient client, byte[] pdf)
    {
        var response = await Post(client, "/api/v1/verifications", pdf);
        return await response.Json(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, byte[] pdf, string? documentId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "document.pdf");
        if (documentId is not null)
            form.Add(new StringContent(documentId), "documentId");
        return client.PostAsync(path, form);
    }

    private static List<string> Codes(JsonElement element) =>
        [.. element.GetProperty("checks").EnumerateArray().Select(c => c.Str("code"))];
}
