using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Grpc.V1;
using SealService.Ledger;

namespace SealService.Api.Tests.Grpc;

/// <summary>gRPC Verify through the real host: the same report as REST for an issued and an altered file.</summary>
public sealed class GrpcVerificationTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    [Fact]
    public async Task An_issued_document_is_valid_and_an_altered_copy_altered()
    {
        var clerk = GrpcCallers.Clerk("twp-mudan-shatu");
        var stamped = await host.Stamping.StampAsync(new StampRequest
        {
            SealId = "seal-mudan-spj-shatu",
            MatterId = "mat-heze-mudan-011",
            Step = "decide",
            CaseNumber = $"GRPC-VER-{Guid.NewGuid():N}"[..24],
            SubjectTownshipId = "twp-mudan-shatu",
            TemplateId = "licence-decision",
            Fields = JsonParser.Default.Parse<Struct>("""
                {"applicantName": "沙土镇鑫源农资经营部", "applicantId": "92371702MA3XXXXX0K", "submittedOn": "2026-11-20", "licenceContent": "准予许可。"}
                """),
            IdempotencyKey = $"grpc-ver-{Guid.NewGuid():N}",
        }, clerk);
        await host.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        using var download = host.Stamping.GetDocument(new GetDocumentRequest { DocumentId = stamped.DocumentId }, clerk);
        using var pdf = new MemoryStream();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync())
            chunk.Data.WriteTo(pdf);

        var client = new SealService.Api.Grpc.V1.Verification.VerificationClient(host.Channel);
        var report = await VerifyAsync(client, pdf.ToArray(), stamped.DocumentId);
        Assert.Equal("valid", report.Verdict);
        Assert.Equal(stamped.DocumentId, report.DocumentId);
        var signature = Assert.Single(report.Signatures);
        Assert.True(signature.Intact && signature.Trusted);
        Assert.Equal(stamped.DocumentId, signature.DocumentId);
        Assert.Contains(signature.Checks, c => c.Code == "LEDGER_INCLUDED" && c.Status == "pass");

        var altered = SealService.Api.Tests.Verification.VerificationTests.AppendContentChange(pdf.ToArray());
        Assert.Equal("altered", (await VerifyAsync(client, altered, null)).Verdict);

        // Without a token the answer comes before any chunk is read (writing chunks would race the rejection).
        using var anonymousCall = client.Verify(new CallOptions());
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => anonymousCall.ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    internal static async Task<VerificationReport> VerifyAsync(SealService.Api.Grpc.V1.Verification.VerificationClient client, byte[] pdf, string? documentId)
    {
        using var call = client.Verify(GrpcCallers.Auditor());
        if (documentId is not null)
            await call.RequestStream.WriteAsync(new VerifyRequest { DocumentId = documentId });
        for (var at = 0; at < pdf.Length; at += 64 * 1024)
            await call.RequestStream.WriteAsync(new VerifyRequest { Chunk = ByteString.CopyFrom(pdf, at, Math.Min(64 * 1024, pdf.Length - at)) });
        await call.RequestStream.CompleteAsync();
        return await call;
    }
}
