using System.Net;
using System.Security.Cryptography;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using static SealService.Api.Tests.Infrastructure.StampingClient;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Tests.Ledger;

/// <summary>The gRPC host with heads signed only on demand, so a record's "pending" proof is observable.</summary>
public sealed class OnDemandHeadsGrpcHostFactory : GrpcHostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:TreeHeadInterval", "00:00:00");
        builder.UseSetting("Ledger:TreeHeadEveryEntries", "1000000");
    }
}

/// <summary>GetDocumentRecord over HTTP/2 carries the ledger index and proof as REST's record does.</summary>
public sealed class LedgerGrpcRecordTests(OnDemandHeadsGrpcHostFactory host) : IClassFixture<OnDemandHeadsGrpcHostFactory>
{
    private static readonly TreeHeadVerifier HeadVerifier =
        TreeHeadVerifier.FromCertificateBytes(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.pem")));

    [Fact]
    public async Task Record_is_pending_before_a_head_and_included_with_a_verifying_proof_after()
    {
        var rest = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        var stamped = await (await rest.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "GRPC-RECORD-1")))
            .Json(HttpStatusCode.Created);
        var request = new V1.GetDocumentRecordRequest { DocumentId = stamped.Str("documentId") };
        var clerk = GrpcCallers.Clerk("twp-mudan-shatu");

        var pending = await host.Stamping.GetDocumentRecordAsync(request, clerk);
        Assert.True(pending.HasLedgerIndex);
        Assert.Equal("pending", pending.LedgerProof.Status);
        Assert.Null(pending.LedgerProof.InclusionProof);
        var ledger = host.Services.GetRequiredService<SealLedger>();
        var entry = await ledger.GetEntryAsync(pending.LedgerIndex);
        Assert.Contains(pending.SealUse.Id, System.Text.Encoding.UTF8.GetString(entry));

        var head = await ledger.IssueTreeHeadAsync();
        var record = await host.Stamping.GetDocumentRecordAsync(request, clerk);
        Assert.Equal(pending.LedgerIndex, record.LedgerIndex);
        Assert.Equal("included", record.LedgerProof.Status);
        var proof = record.LedgerProof.InclusionProof;
        Assert.Equal(record.LedgerIndex, proof.Index);
        Assert.Equal(head.TreeSize, proof.TreeSize);
        Assert.Equal(head.TreeSize, proof.TreeHead.TreeSize);
        var served = new SignedTreeHead(proof.TreeHead.TreeSize, proof.TreeHead.RootHash.ToByteArray(), proof.TreeHead.Timestamp,
            proof.TreeHead.Signature.ToByteArray(), proof.TreeHead.KeyId);
        Assert.True(HeadVerifier.Verify(served));
        var leaf = SHA256.HashData([0, .. entry]);
        Assert.Equal(leaf, proof.LeafHash.ToByteArray());
        var path = proof.AuditPath.Select(p => p.ToByteArray()).ToList();
        Assert.True(MerkleProofVerifier.VerifyInclusion(proof.Index, proof.TreeSize, leaf, path, served.RootHash));
        // The same proof does not hold for another leaf.
        leaf[0] ^= 1;
        Assert.False(MerkleProofVerifier.VerifyInclusion(proof.Index, proof.TreeSize, leaf, path, served.RootHash));
    }
}

/// <summary>The gRPC host with the ledger switched off.</summary>
public sealed class NoLedgerGrpcHostFactory : GrpcHostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:Enabled", "false");
    }
}

/// <summary>Without a ledger: health says the Ledger service is not serving, and a record carries no ledger fields.</summary>
public sealed class NoLedgerGrpcTests(NoLedgerGrpcHostFactory host) : IClassFixture<NoLedgerGrpcHostFactory>
{
    [Fact]
    public async Task Ledger_is_not_serving_and_records_have_no_ledger_fields()
    {
        var health = new Health.HealthClient(host.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Ledger" })).Status);

        var rest = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        var stamped = await (await rest.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "NO-LEDGER-1")))
            .Json(HttpStatusCode.Created);
        var record = await host.Stamping.GetDocumentRecordAsync(new V1.GetDocumentRecordRequest { DocumentId = stamped.Str("documentId") },
            GrpcCallers.Clerk("twp-mudan-shatu"));
        Assert.False(record.HasLedgerIndex);
        Assert.Null(record.LedgerProof);
    }
}
