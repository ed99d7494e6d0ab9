using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SealService.Api.Grpc.V1;
using SealService.Api.Tests.Infrastructure;
using SealService.LoadGen;

namespace SealService.Api.Tests.Grpc;

/// <summary>Stamping over gRPC through the real host (HTTP/2 on loopback) with the demo registry.</summary>
public sealed class GrpcStampingTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Wudian = "twp-mudan-wudian";

    private static StampRequest TemplateDecision(string township = Shatu, string seal = "seal-mudan-spj-shatu", string? key = null)
    {
        var caseNumber = $"GRPC-{Guid.NewGuid():N}"[..24];
        return new StampRequest
        {
            SealId = seal,
            MatterId = "mat-heze-mudan-001",
            Step = "decide",
            CaseNumber = caseNumber,
            SubjectTownshipId = township,
            TemplateId = "licence-decision",
            Fields = JsonParser.Default.Parse<Struct>("""
                {
                  "applicantName": "菏泽市牡丹区沙土镇鑫源农资经营部",
                  "applicantId": "92371702MA3XXXXX0K",
                  "submittedOn": "2026-11-20",
                  "licenceContent": "准予登记，经营范围：农资零售。"
                }
                """),
            IdempotencyKey = key ?? $"grpc-test-{Guid.NewGuid():N}",
        };
    }

    private static StampRequest UploadDecision() => new()
    {
        SealId = "seal-mudan-spj-shatu",
        MatterId = "mat-heze-mudan-001",
        Step = "decide",
        CaseNumber = $"GRPC-UP-{Guid.NewGuid():N}"[..24],
        SubjectTownshipId = Shatu,
        DocumentKind = "decision",
        Placement = new Placement { Page = 1, X = 400, Y = 60, Width = 120, Height = 120 },
        IdempotencyKey = $"grpc-test-{Guid.NewGuid():N}",
    };

    private async Task<byte[]> DownloadAsync(string documentId, CallOptions caller)
    {
        using var call = host.Stamping.GetDocument(new GetDocumentRequest { DocumentId = documentId }, caller);
        using var pdf = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            chunk.Data.WriteTo(pdf);
        return pdf.ToArray();
    }

    /// <summary>The SHA-256 the service reported, qpdf --check, and pdfsig: one valid signature, trusted via the dev root.</summary>
    private void AssertSignedPdf(byte[] pdf, string sha256)
    {
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(pdf)));
        PdfChecks.AssertValid(pdf, Path.Combine(host.DataDirectory, "dev-keys", "root-ca.pem"), expectedSignatures: 1);
    }

    [Fact]
    public async Task Shatu_decides_with_the_no2_seal_from_a_template()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var stamped = await host.Stamping.StampAsync(TemplateDecision(), clerk);

        Assert.StartsWith("doc-", stamped.DocumentId, StringComparison.Ordinal);
        Assert.Contains("〔", stamped.DocumentNumber, StringComparison.Ordinal);
        Assert.False(stamped.Replayed);
        Assert.EndsWith(stamped.DocumentId, stamped.DownloadUrl, StringComparison.Ordinal);
        AssertSignedPdf(await DownloadAsync(stamped.DocumentId, clerk), stamped.Sha256);
    }

    [Fact]
    public async Task Signature_level_b_lt_gives_a_document_whose_dss_covers_the_seal_and_a_bad_level_is_invalid_argument()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var request = TemplateDecision();
        request.SignatureLevel = "B-LT";
        var stamped = await host.Stamping.StampAsync(request, clerk);

        var pdf = await DownloadAsync(stamped.DocumentId, clerk);
        PdfChecks.AssertLongTerm(pdf, Path.Combine(host.DataDirectory, "dev-keys", "root-ca.pem"), "B-LT");

        var bad = TemplateDecision();
        bad.SignatureLevel = "LTA";
        var (error, _) = await GrpcAssert.Fails(StatusCode.InvalidArgument, "VALIDATION_FAILED", async () => await host.Stamping.StampAsync(bad, clerk));
        Assert.Contains("signature_level", error.Status.Detail);
    }

    [Fact]
    public async Task Document_record_names_the_seal_agreement_and_actor()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var request = TemplateDecision();
        var stamped = await host.Stamping.StampAsync(request, clerk);

        var record = await host.Stamping.GetDocumentRecordAsync(new GetDocumentRecordRequest { DocumentId = stamped.DocumentId }, GrpcCallers.Auditor());
        Assert.Equal(stamped.DocumentNumber, record.DocumentNumber);
        Assert.Equal(stamped.Sha256, record.Sha256);
        Assert.Equal("stamped", record.SealUse.Outcome);
        Assert.Equal("seal-mudan-spj-shatu", record.SealUse.SealId);
        Assert.Equal("agr-mudan-spj-shatu", record.SealUse.AgreementId);
        Assert.Equal("entrusted-handling", record.SealUse.Mode);
        Assert.Equal("decide", record.SealUse.Step);
        Assert.Equal(request.CaseNumber, record.SealUse.CaseNumber);
        Assert.Equal("窗口人员", record.SealUse.ActorName);
        Assert.Equal(stamped.SealUseId, record.SealUse.Id);
    }

    [Fact]
    public async Task Wudian_deciding_is_permission_denied_with_step_not_allowed_and_recorded()
    {
        var request = TemplateDecision(Wudian, "seal-mudan-spj-wudian");
        var (_, info) = await GrpcAssert.Fails(StatusCode.PermissionDenied, "STEP_NOT_ALLOWED",
            async () => await host.Stamping.StampAsync(request, GrpcCallers.Clerk(Wudian)));
        var sealUseId = info.Metadata["seal_use_id"];

        var uses = await host.Stamping.QuerySealUsesAsync(
            new QuerySealUsesRequest { SealId = "seal-mudan-spj-wudian", Outcome = "refused", Limit = 200 }, GrpcCallers.Auditor());
        var use = Assert.Single(uses.Items, u => u.Id == sealUseId);
        Assert.Equal("STEP_NOT_ALLOWED", use.Code);
        Assert.Equal(request.CaseNumber, use.CaseNumber);
        Assert.Equal("", use.DocumentId);
    }

    [Fact]
    public async Task Stamping_without_a_token_is_unauthenticated()
    {
        await GrpcAssert.Fails(StatusCode.Unauthenticated, "UNAUTHENTICATED",
            async () => await host.Stamping.StampAsync(TemplateDecision()));
    }

    [Fact]
    public async Task Missing_template_field_is_invalid_argument_with_the_renderer_code()
    {
        var request = TemplateDecision();
        request.Fields.Fields.Remove("applicantName");
        var (error, _) = await GrpcAssert.Fails(StatusCode.InvalidArgument, "TEMPLATE_FIELD_MISSING",
            async () => await host.Stamping.StampAsync(request, GrpcCallers.Clerk(Shatu)));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Status.Detail, "TEMPLATE_FIELD_MISSING"));
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations);
        Assert.Equal("fields.applicantName", violation.Field); // the key as the client sent it
        Assert.DoesNotContain("TEMPLATE_FIELD_MISSING", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_key_replays_and_a_different_request_with_it_conflicts()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var request = TemplateDecision();
        var first = await host.Stamping.StampAsync(request, clerk);
        var again = await host.Stamping.StampAsync(request, clerk);
        Assert.True(again.Replayed);
        Assert.Equal(first.DocumentId, again.DocumentId);
        Assert.Equal(first.DocumentNumber, again.DocumentNumber);

        var other = TemplateDecision(key: request.IdempotencyKey);
        await GrpcAssert.Fails(StatusCode.AlreadyExists, "IDEMPOTENCY_CONFLICT", async () => await host.Stamping.StampAsync(other, clerk));
    }

    [Fact]
    public async Task Unary_stamp_signs_pdf_bytes()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var request = UploadDecision();
        request.Pdf = ByteString.CopyFrom(SamplePdf.Create());
        var stamped = await host.Stamping.StampAsync(request, clerk);
        AssertSignedPdf(await DownloadAsync(stamped.DocumentId, clerk), stamped.Sha256);
    }

    [Fact]
    public async Task Client_streaming_upload_signs_a_20_kb_pdf()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        var pdf = SamplePdf.Create();
        using var call = host.Stamping.StampUpload(clerk);
        await call.RequestStream.WriteAsync(new StampUploadRequest { Request = UploadDecision() });
        for (var offset = 0; offset < pdf.Length; offset += 4096)
            await call.RequestStream.WriteAsync(new StampUploadRequest { Chunk = ByteString.CopyFrom(pdf, offset, Math.Min(4096, pdf.Length - offset)) });
        await call.RequestStream.CompleteAsync();
        var stamped = await call;

        var signed = await DownloadAsync(stamped.DocumentId, clerk);
        Assert.True(signed.Length > pdf.Length);
        Assert.Equal(pdf, signed[..pdf.Length]); // an incremental update keeps the uploaded bytes
        AssertSignedPdf(signed, stamped.Sha256);
    }

    [Fact]
    public async Task Upload_over_the_limit_is_resource_exhausted_pdf_too_large()
    {
        using var call = host.Stamping.StampUpload(GrpcCallers.Clerk(Shatu));
        await GrpcAssert.Fails(StatusCode.ResourceExhausted, "PDF_TOO_LARGE", async () =>
        {
            await call.RequestStream.WriteAsync(new StampUploadRequest { Request = UploadDecision() });
            var piece = ByteString.CopyFrom(new byte[64 * 1024]);
            try
            {
                for (var sent = 0; sent <= GrpcHostFactory.MaxUploadBytes; sent += piece.Length)
                    await call.RequestStream.WriteAsync(new StampUploadRequest { Chunk = piece });
                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException)
            {
                // The server may answer before the client has sent everything; the answer is what counts.
            }

            await call;
        });
    }

    [Fact]
    public async Task Upload_starting_with_a_chunk_is_invalid_argument()
    {
        using var call = host.Stamping.StampUpload(GrpcCallers.Clerk(Shatu));
        await call.RequestStream.WriteAsync(new StampUploadRequest { Chunk = ByteString.CopyFromUtf8("%PDF-1.7") });
        await call.RequestStream.CompleteAsync();
        await GrpcAssert.Fails(StatusCode.InvalidArgument, "VALIDATION_FAILED", async () => await call);
    }

    [Fact]
    public async Task Garbage_upload_is_invalid_argument_pdf_invalid()
    {
        var request = UploadDecision();
        request.Pdf = ByteString.CopyFromUtf8("this is not a PDF at all");
        await GrpcAssert.Fails(StatusCode.InvalidArgument, "PDF_INVALID",
            async () => await host.Stamping.StampAsync(request, GrpcCallers.Clerk(Shatu)));
    }

    [Fact]
    public async Task Seal_use_query_pages_and_a_department_officer_sees_its_seals()
    {
        var clerk = GrpcCallers.Clerk(Shatu);
        await host.Stamping.StampAsync(TemplateDecision(), clerk);
        await host.Stamping.StampAsync(TemplateDecision(), clerk);

        var officer = GrpcCallers.Officer("dept-mudan-spj");
        var page = await host.Stamping.QuerySealUsesAsync(new QuerySealUsesRequest { DepartmentId = "dept-mudan-spj", Limit = 1 }, officer);
        Assert.Single(page.Items);
        Assert.True(page.Total >= 2);
        var all = await host.Stamping.QuerySealUsesAsync(new QuerySealUsesRequest { DepartmentId = "dept-mudan-spj", Limit = 200 }, officer);
        Assert.All(all.Items, u => Assert.Equal("dept-mudan-spj", u.SealDepartmentId));

        await GrpcAssert.Fails(StatusCode.PermissionDenied, "FORBIDDEN", async () =>
            await host.Stamping.QuerySealUsesAsync(new QuerySealUsesRequest { DepartmentId = "dept-mudan-rsj" }, officer));
        await GrpcAssert.Fails(StatusCode.InvalidArgument, "VALIDATION_FAILED", async () =>
            await host.Stamping.QuerySealUsesAsync(new QuerySealUsesRequest { Outcome = "maybe", Limit = 100_000 }, officer));
    }

    [Fact]
    public async Task A_grpc_stamp_reads_back_the_same_over_rest()
    {
        var stamped = await host.Stamping.StampAsync(TemplateDecision(), GrpcCallers.Clerk(Shatu));
        var rest = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.Auditor, "审计员"));

        var record = await rest.GetJson($"/api/v1/documents/{stamped.DocumentId}/record");
        Assert.Equal(stamped.DocumentNumber, record.Str("documentNumber"));
        Assert.Equal(stamped.Sha256, record.Str("sha256"));
        var pdf = await rest.GetByteArrayAsync($"/api/v1/documents/{stamped.DocumentId}");
        Assert.Equal(stamped.Sha256, Convert.ToHexStringLower(SHA256.HashData(pdf)));
    }

    [Fact]
    public async Task Unknown_document_is_not_found()
    {
        await GrpcAssert.Fails(StatusCode.NotFound, "NOT_FOUND", async () =>
            await host.Stamping.GetDocumentRecordAsync(new GetDocumentRecordRequest { DocumentId = "doc-0000" }, GrpcCallers.Auditor()));
    }
}
