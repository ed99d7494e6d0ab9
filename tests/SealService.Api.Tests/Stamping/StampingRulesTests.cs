using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// Numbering, idempotency, uploads and limits on a fresh registry scenario per test (its own seal, so numbers start at 1):
/// seal 测试县甲局审批专用章（甲镇） → default pattern 测甲甲〔year〕0001号.
/// </summary>
public sealed partial class StampingRulesTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    [Fact]
    public async Task Two_hundred_concurrent_stamps_on_one_seal_get_two_hundred_consecutive_numbers()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var pdf = TestPdfs.Plain();
        var responses = await Task.WhenAll(Enumerable.Range(1, 200).Select(i =>
            clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, $"CASE-{i:000}"), pdf)));
        var numbers = new List<long>();
        var ids = new HashSet<string>();
        foreach (var r in responses)
        {
            var body = await r.Json(HttpStatusCode.Created);
            numbers.Add(Sequence(body.Str("documentNumber")));
            Assert.True(ids.Add(body.Str("documentId")));
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), numbers.Order());
        var uses = await factory.Auditor().AllSealUses($"sealId={sc.Seal}&outcome=stamped");
        Assert.Equal(200, uses.Select(u => u.Str("documentNumber")).Distinct().Count());
    }

    [Fact]
    public async Task Fifty_concurrent_retries_of_one_key_make_one_document()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var request = Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-IDEM-1");
        var key = "retry-" + Guid.NewGuid().ToString("N");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => clerk.StampJson(request, key)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Single(await factory.Auditor().AllSealUses($"sealId={sc.Seal}"));

        // The same key for another request is a conflict; nothing new is recorded or numbered.
        var other = Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-IDEM-2");
        await (await clerk.StampJson(other, key)).AssertProblem(HttpStatusCode.Conflict, "IDEMPOTENCY_CONFLICT");
        var next = await (await clerk.StampJson(other)).Json(HttpStatusCode.Created);
        Assert.Equal(2, Sequence(next.Str("documentNumber")));
    }

    [Fact]
    public async Task Stamp_right_after_the_agreement_is_revoked_is_refused()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-REV-1"))).Json(HttpStatusCode.Created);
        (await factory.Officer(sc.DeptA).Post($"/api/v1/agreements/{sc.Agreement}/revoke", new { reason = "收回权限" })).EnsureSuccessStatusCode();
        var problem = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-REV-2")))
            .AssertProblem(HttpStatusCode.Forbidden, "AGREEMENT_REVOKED");
        var refused = Assert.Single(await factory.Officer(sc.DeptA).AllSealUses("outcome=refused"));
        Assert.Equal(problem.Str("sealUseId"), refused.Str("id"));
        Assert.Equal("AGREEMENT_REVOKED", refused.Str("code"));
        Assert.Equal("CASE-REV-2", refused.Str("caseNumber"));
    }

    [Fact]
    public async Task Uploads_with_xref_streams_and_already_signed_pdfs_are_stamped()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var xrefStreams = TestPdfs.WithXrefStreams(TestPdfs.Plain());
        var first = await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CASE-UP-1",
            new { page = 1, x = 380, y = 80, width = 130, height = 130 }), xrefStreams)).Json(HttpStatusCode.Created);
        var signedOnce = await clerk.Download(first.Str("documentId"));
        PdfChecks.AssertValid(signedOnce, factory.RootPem, expectedSignatures: 1);

        var second = await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "issue", sc.TownX, "CASE-UP-1"), signedOnce)).Json(HttpStatusCode.Created);
        var signedTwice = await clerk.Download(second.Str("documentId"));
        Assert.Equal(signedOnce, signedTwice.AsSpan(0, signedOnce.Length).ToArray());
        PdfChecks.AssertValid(signedTwice, factory.RootPem, expectedSignatures: 2);
    }

    [Fact]
    public async Task Oversized_malformed_and_encrypted_uploads_are_refused_without_consuming_a_number()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var request = Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CASE-LIM-1");
        var huge = new byte[StampingApiFactory.UploadLimit + 1];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(huge, 0);
        await (await clerk.StampUpload(request, huge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "PDF_TOO_LARGE");
        await (await clerk.StampUpload(request, Encoding.ASCII.GetBytes("this is not a PDF at all, just text long enough"))).AssertProblem(HttpStatusCode.UnprocessableEntity, "PDF_INVALID");
        var plain = TestPdfs.Plain();
        await (await clerk.StampUpload(request, TestPdfs.Encrypted(plain))).AssertProblem(HttpStatusCode.UnprocessableEntity, "PDF_INVALID");
        var truncated = plain.AsSpan(0, plain.Length / 2).ToArray();
        await (await clerk.StampUpload(request, truncated)).AssertProblem(HttpStatusCode.UnprocessableEntity, "PDF_INVALID");
        var badPage = Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CASE-LIM-1", new { page = 9, x = 10, y = 10, width = 100, height = 100 });
        await (await clerk.StampUpload(badPage, plain)).AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var missing = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-LIM-1",
            new Dictionary<string, object?> { ["applicantName"] = null }))).AssertProblem(HttpStatusCode.UnprocessableEntity, "TEMPLATE_FIELD_MISSING");
        Assert.Equal("applicantName", missing.Str("field"));
        Assert.DoesNotContain("TEMPLATE_FIELD_MISSING", missing.Str("detail"), StringComparison.Ordinal);
        Assert.True(missing.GetProperty("errors").TryGetProperty("fields.applicantName", out _), missing.GetRawText());
        await (await clerk.StampJson(new { sealId = sc.Seal, matterId = sc.MatterA, step = "decide", caseNumber = "CASE-LIM-1", subjectTownshipId = sc.TownX, templateId = "no-such-template" }))
            .AssertProblem(HttpStatusCode.NotFound, "TEMPLATE_NOT_FOUND");
        await (await clerk.StampJson(new { sealId = sc.Seal, matterId = sc.MatterA, step = "decide", caseNumber = "C", subjectTownshipId = sc.TownX }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var noKey = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "CASE-LIM-1")),
        };
        var problem = await (await clerk.SendAsync(noKey)).AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        // None of the above was numbered or recorded: the first good stamp gets number 1.
        var ok = await (await clerk.StampUpload(request, plain)).Json(HttpStatusCode.Created);
        Assert.Equal(1, Sequence(ok.Str("documentNumber")));
        Assert.Single(await factory.Auditor().AllSealUses($"sealId={sc.Seal}"));
    }

    [Fact]
    public async Task A_retry_replays_only_when_both_the_fields_and_the_uploaded_pdf_are_the_same()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var request = Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CASE-IDEM-PDF");
        var first = TestPdfs.Plain("certificate");
        var second = TestPdfs.Plain("licence-decision");
        Assert.NotEqual(first, second);
        var key = "upload-" + Guid.NewGuid().ToString("N");

        var created = await (await clerk.StampUpload(request, first, key)).Json(HttpStatusCode.Created);
        var replayed = await (await clerk.StampUpload(request, first, key)).Json(HttpStatusCode.OK);
        Assert.Equal(created.Str("documentId"), replayed.Str("documentId"));

        // Same key, same fields, another PDF: a different request, never the first document again.
        await (await clerk.StampUpload(request, second, key)).AssertProblem(HttpStatusCode.Conflict, "IDEMPOTENCY_CONFLICT");
        // Same key, same PDF, another field: also a different request.
        var otherCase = Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CASE-IDEM-PDF-2");
        await (await clerk.StampUpload(otherCase, first, key)).AssertProblem(HttpStatusCode.Conflict, "IDEMPOTENCY_CONFLICT");
        Assert.Single(await factory.Auditor().AllSealUses($"sealId={sc.Seal}"));
    }

    [Fact]
    public async Task Department_officer_csv_export_lists_exactly_the_uses_of_its_seals()
    {
        var a = await Scenario.CreateAsync(factory);
        var b = await Scenario.CreateAsync(factory);
        var clerkA = factory.Clerk(a.TownX);
        await (await clerkA.StampJson(Template(a.Seal, a.MatterA, "decide", a.TownX, "licence-decision", "CSV-1,\"quoted\""))).Json(HttpStatusCode.Created);
        await (await clerkA.StampJson(Template(a.Seal, a.MatterA, "decide", a.TownY, "licence-decision", "=CSV-2"))).AssertProblem(HttpStatusCode.Forbidden, "CROSS_TOWNSHIP");
        await (await factory.Clerk(a.TownY).StampJson(Template(a.Seal, a.MatterA, "decide", a.TownX, "licence-decision", "CSV-3")))
            .AssertProblem(HttpStatusCode.Forbidden, "SEAL_NOT_HELD_BY_CALLER");
        await (await factory.Clerk(b.TownX).StampJson(Template(b.Seal, b.MatterA, "decide", b.TownX, "licence-decision", "CSV-OTHER"))).Json(HttpStatusCode.Created);

        var officer = factory.Officer(a.DeptA);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/seal-uses");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await officer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("id", rows[0][0]);
        var header = rows[0];
        var records = rows.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();

        // Expected: every use (auditor's full view) whose seal belongs to department A.
        var all = await factory.Auditor().AllSealUses("outcome=");
        var expected = all.Where(u => u.GetProperty("sealDepartmentId").GetString() == a.DeptA).Select(u => u.Str("id")).Order().ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, records.Select(r => r["id"]).Order().ToList());
        Assert.All(records, r => Assert.Equal(a.Seal, r["sealId"]));
        Assert.Contains(records, r => r["caseNumber"] == "CSV-1,\"quoted\"");
        Assert.Contains(records, r => r["caseNumber"] == "'=CSV-2");

        // An officer cannot ask for another department's uses.
        await (await officer.GetAsync($"/api/v1/seal-uses?departmentId={b.DeptA}")).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    private static long Sequence(string documentNumber) =>
        long.Parse(SequencePattern().Match(documentNumber).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"〕(\d+)号$")]
    private static partial Regex SequencePattern();

    /// <summary>A small RFC 4180 reader (quotes, doubled quotes, commas and line breaks inside quotes).</summary>
    private static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                        quoted = false;
                    else
                        cell.Append(c);
                }
                else if (c == '"')
                    quoted = true;
                else if (c == ',')
                {
                    row.Add(cell.ToString());
                    cell.Clear();
                }
                else if (c == '\n')
                {
                    row.Add(cell.ToString().TrimEnd('\r'));
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                }
                else
                    cell.Append(c);
            }

            return rows;
        }
    }
}
