using System.Globalization;
using System.Net;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// A stamp says no more than its delegation allows: the kind comes from the template, every mode × kind × step is decided
/// as DOMAIN.md says, registry facts are printed from the registry, and the signature carries the stamp's scope.
/// </summary>
public sealed class DelegationScopeTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    private const string ScopeOid = "2.25.64555009514169494429153326278938366145.1.1";
    private const string Shatu = "twp-mudan-shatu";
    private const string Wudian = "twp-mudan-wudian";

    [Fact]
    public async Task Wudian_cannot_pass_a_licence_decision_off_as_an_acceptance_receipt()
    {
        var clerk = factory.Clerk(Wudian);
        var request = Template("seal-mudan-spj-wudian", "mat-heze-mudan-001", "accept", Wudian, "licence-decision", "WD-KIND-1",
            documentKind: "acceptance-receipt");

        var problem = await (await clerk.StampJson(request)).AssertProblem(HttpStatusCode.UnprocessableEntity, "DOCUMENT_KIND_MISMATCH");

        // Without the false kind the template's own kind decides, and 委托受理 issues receipts only.
        var honest = Template("seal-mudan-spj-wudian", "mat-heze-mudan-001", "accept", Wudian, "licence-decision", "WD-KIND-2");
        var refused = await (await clerk.StampJson(honest)).AssertProblem(HttpStatusCode.Forbidden, "DOCUMENT_KIND_NOT_ALLOWED");
        var uses = await factory.Auditor().AllSealUses("sealId=seal-mudan-spj-wudian&outcome=refused");
        var first = Assert.Single(uses, u => u.Str("caseNumber") == "WD-KIND-1");
        Assert.Equal(problem.Str("sealUseId"), first.Str("id"));
        Assert.Equal("DOCUMENT_KIND_MISMATCH", first.Str("code"));
        var second = Assert.Single(uses, u => u.Str("caseNumber") == "WD-KIND-2");
        Assert.Equal(refused.Str("sealUseId"), second.Str("id"));
        Assert.Equal("decision", second.Str("documentKind"));
        Assert.Equal("licence-decision", second.Str("templateId"));
        Assert.False(second.TryGetProperty("documentNumber", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String);
    }

    public static TheoryData<string> Modes() => new(DemoMode.All.Select(m => m.Mode));

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_template_at_every_step_is_decided_by_mode_kind_and_step(string mode)
    {
        var m = DemoMode.All.Single(x => x.Mode == mode);
        var clerk = factory.Clerk(m.TownshipId);
        var allowed = 0;
        foreach (var (template, kind) in DelegationOracle.TemplateKinds)
        {
            foreach (var step in DelegationOracle.Steps)
            {
                var expected = DelegationOracle.Expected(mode, m.AgreementSteps, kind, step);
                var caseNumber = $"MX-{mode}-{template}-{step}";
                var response = await clerk.StampJson(Template(m.SealId, m.MatterId, step, m.TownshipId, template, caseNumber));
                allowed += await AssertOutcome(response, expected, $"{mode} {template} {step}");
            }
        }

        Assert.True(allowed > 0, $"{mode}: the matrix must contain allowed stamps");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_upload_kind_at_every_step_is_decided_by_mode_kind_and_step(string mode)
    {
        var m = DemoMode.All.Single(x => x.Mode == mode);
        var clerk = factory.Clerk(m.TownshipId);
        var pdf = TestPdfs.Plain();
        foreach (var kind in DelegationOracle.Kinds)
        {
            foreach (var step in DelegationOracle.Steps)
            {
                var expected = DelegationOracle.Expected(mode, m.AgreementSteps, kind, step);
                var response = await clerk.StampUpload(Upload(m.SealId, m.MatterId, step, m.TownshipId, $"MU-{mode}-{kind}-{step}", documentKind: kind), pdf);
                await AssertOutcome(response, expected, $"{mode} upload {kind} {step}");
            }
        }
    }

    [Fact]
    public async Task An_upload_without_a_document_kind_is_refused_before_anything_is_numbered()
    {
        var clerk = factory.Clerk(Shatu);
        var request = new { sealId = "seal-mudan-spj-shatu", matterId = "mat-heze-mudan-001", step = "decide", caseNumber = "UP-NOKIND", subjectTownshipId = Shatu };
        var problem = await (await clerk.StampUpload(request, TestPdfs.Plain())).AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("documentKind", out _));
        Assert.DoesNotContain(await factory.Auditor().AllSealUses("sealId=seal-mudan-spj-shatu"), u => u.Str("caseNumber") == "UP-NOKIND");
    }

    [Fact]
    public async Task A_template_document_prints_the_registry_matter_and_body_and_refuses_caller_values_for_them()
    {
        var clerk = factory.Clerk(Shatu);
        var matter = await factory.Auditor().GetJson("/api/v1/matters/mat-heze-mudan-001");
        var stamped = await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "BOUND-1")))
            .Json(HttpStatusCode.Created);
        var text = PdfText(await clerk.Download(stamped.Str("documentId")));
        Assert.Contains(matter.Str("name"), text, StringComparison.Ordinal); // 个体工商户登记注册, not the sample's
        Assert.Contains("BOUND-1", text, StringComparison.Ordinal);
        Assert.Contains("牡丹区行政审批服务局", text, StringComparison.Ordinal);
        Assert.DoesNotContain("样稿", text, StringComparison.Ordinal);

        foreach (var field in new[] { "matterName", "issuerName", "caseNumber" })
        {
            var forged = Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "BOUND-2",
                new Dictionary<string, object?> { [field] = "农药经营许可" });
            var problem = await (await clerk.StampJson(forged)).AssertProblem(HttpStatusCode.UnprocessableEntity, "TEMPLATE_FIELD_BOUND");
            Assert.Equal(field, problem.Str("field"));
        }

        Assert.DoesNotContain(await factory.Auditor().AllSealUses("sealId=seal-mudan-spj-shatu"), u => u.Str("caseNumber") == "BOUND-2");
    }

    [Theory]
    [InlineData("template")]
    [InlineData("upload")]
    public async Task The_signature_carries_the_stamp_scope_as_a_signed_attribute(string path)
    {
        var clerk = factory.Clerk(Shatu);
        var caseNumber = "SCOPE-" + path;
        var response = path == "template"
            ? await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-011", "decide", Shatu, "licence-decision", caseNumber))
            : await clerk.StampUpload(Upload("seal-mudan-spj-shatu", "mat-heze-mudan-011", "decide", Shatu, caseNumber), TestPdfs.Plain());
        var stamped = await response.Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(stamped.Str("documentId"));
        var record = await clerk.GetJson($"/api/v1/documents/{stamped.Str("documentId")}/record");
        var use = record.GetProperty("sealUse");
        var matter = await factory.Auditor().GetJson("/api/v1/matters/mat-heze-mudan-011");

        var cms = LastContents(pdf);
        var scope = ScopeOf(cms);
        Assert.Equal(1, Int(scope[0]));
        Assert.Equal(use.Str("sealId"), Utf8(scope[1]));
        Assert.Equal(use.GetProperty("sealVersion").GetInt32(), Int(scope[2]));
        Assert.Equal(use.Str("matterId"), Utf8(scope[3]));
        Assert.Equal(matter.Str("name"), Utf8(scope[4]));
        Assert.Equal("decide", Utf8(scope[5]));
        Assert.Equal(use.Str("documentKind"), Utf8(scope[6]));
        Assert.Equal(caseNumber, Utf8(scope[7]));
        Assert.Equal(record.Str("documentId"), Utf8(scope[8]));
        Assert.Equal(record.Str("documentNumber"), Utf8(scope[9]));
        Assert.Equal(use.Str("id"), Utf8(scope[10]));
        var optional = scope.Cast<Asn1Encodable>().Skip(11).Select(e => Asn1TaggedObject.GetInstance(e)).ToDictionary(t => t.TagNo);
        Assert.Equal(use.Str("agreementId"), DerUtf8String.GetInstance(optional[0], false).GetString());
        Assert.Equal(use.GetProperty("agreementVersion").GetInt32(), DerInteger.GetInstance(optional[1], false).IntValueExact);
        Assert.Equal("entrusted-handling", DerUtf8String.GetInstance(optional[2], false).GetString());
        Assert.Equal(use.Str("mode"), DerUtf8String.GetInstance(optional[2], false).GetString());
        Assert.Equal(Shatu, DerUtf8String.GetInstance(optional[4], false).GetString());
        Assert.Equal(path == "template", optional.ContainsKey(5));
        if (path == "template")
            Assert.Equal("licence-decision", DerUtf8String.GetInstance(optional[5], false).GetString());

        // openssl reads the same CMS and names the attribute; the document still passes every judge.
        var file = Path.Combine(factory.DataDirectory, $"scope-{path}.der");
        await File.WriteAllBytesAsync(file, cms);
        var print = ExternalTools.Run("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", file);
        Assert.True(print.ExitCode == 0, print.StdErr);
        Assert.Contains(ScopeOid, print.StdOut, StringComparison.Ordinal);
        PdfChecks.AssertValid(pdf, factory.RootPem, expectedSignatures: 1);
    }

    /// <summary>1 when the stamp was allowed (201), else 0; asserts the response matches the oracle.</summary>
    private async Task<int> AssertOutcome(HttpResponseMessage response, string? expected, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (expected is null)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{what}: expected 201, got {(int)response.StatusCode} {body}");
            return 1;
        }

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden && body.Contains($"\"code\":\"{expected}\"", StringComparison.Ordinal),
            $"{what}: expected 403 {expected}, got {(int)response.StatusCode} {body}");
        return 0;
    }

    private static string PdfText(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pdf);
            return ExternalTools.Run("pdftotext", "-enc", "UTF-8", file, "-").StdOut;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The DER of the last signature's /Contents (trailing zero padding removed by the ASN.1 length).</summary>
    private static byte[] LastContents(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var range = text[(text.IndexOf('[', at) + 1)..text.IndexOf(']', at)].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var hex = text[(range[1] + 1)..(range[2] - 1)];
        using var input = new Asn1InputStream(Convert.FromHexString(hex));
        return input.ReadObject().GetEncoded(Asn1Encodable.Der);
    }

    private static Asn1Sequence ScopeOf(byte[] cms)
    {
        var signedData = SignedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).Content);
        var signer = SignerInfo.GetInstance(Assert.Single(signedData.SignerInfos.Cast<Asn1Encodable>()));
        var attribute = Assert.Single(signer.SignedAttrs.Cast<Asn1Encodable>().Select(e => Org.BouncyCastle.Asn1.Cms.Attribute.GetInstance(e)),
            a => a.AttrType.Id == ScopeOid);
        return Asn1Sequence.GetInstance(Assert.Single(attribute.AttrValues.Cast<Asn1Encodable>()));
    }

    private static string Utf8(Asn1Encodable e) => DerUtf8String.GetInstance(e).GetString();

    private static int Int(Asn1Encodable e) => DerInteger.GetInstance(e).IntValueExact;
}
