using System.Net;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using static SealService.Api.Tests.Infrastructure.StampingClient;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Tests.Ledger;

/// <summary>sealservice.v1.Ledger over HTTP/2 on loopback: heads and proofs verify, same roles and codes as REST.</summary>
public sealed class LedgerGrpcTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    private static readonly TreeHeadVerifier HeadVerifier =
        TreeHeadVerifier.FromCertificateBytes(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.pem")));

    [Fact]
    public async Task Heads_and_proofs_over_grpc_verify_and_access_is_enforced()
    {
        var rest = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        for (var i = 0; i < 3; i++)
            await (await rest.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", $"GRPC-LEDGER-{i}")))
                .Json(HttpStatusCode.Created);
        var ledger = host.Services.GetRequiredService<SealLedger>();
        var first = (await ledger.IssueTreeHeadAsync()).TreeSize;
        await (await rest.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "GRPC-LEDGER-9")))
            .Json(HttpStatusCode.Created);
        var second = (await ledger.IssueTreeHeadAsync()).TreeSize;

        var client = new V1.Ledger.LedgerClient(host.Channel);
        var head = await client.GetTreeHeadAsync(new V1.GetTreeHeadRequest(), GrpcCallers.Auditor());
        Assert.True(head.TreeSize >= second);
        Assert.True(HeadVerifier.Verify(Head(head)));

        var inclusion = await client.GetInclusionProofAsync(new V1.GetInclusionProofRequest { Index = 1, TreeSize = first }, GrpcCallers.Officer("dept-mudan-spj"));
        var leaf = SHA256.HashData([0, .. await ledger.GetEntryAsync(1)]);
        Assert.Equal(leaf, inclusion.LeafHash.ToByteArray());
        Assert.True(HeadVerifier.Verify(Head(inclusion.TreeHead)));
        Assert.True(MerkleProofVerifier.VerifyInclusion(1, first, leaf, inclusion.AuditPath.Select(p => p.ToByteArray()).ToList(), inclusion.TreeHead.RootHash.ToByteArray()));

        var consistency = await client.GetConsistencyProofAsync(new V1.GetConsistencyProofRequest { First = first, Second = second }, GrpcCallers.Auditor());
        Assert.True(MerkleProofVerifier.VerifyConsistency(first, second, consistency.FirstTreeHead.RootHash.ToByteArray(),
            consistency.SecondTreeHead.RootHash.ToByteArray(), consistency.ConsistencyPath.Select(p => p.ToByteArray()).ToList()));

        var heads = await client.ListTreeHeadsAsync(new V1.ListTreeHeadsRequest { From = first }, GrpcCallers.Auditor());
        Assert.Equal(first, heads.TreeHeads[0].TreeSize); // the background issuer may have signed one more in between
        Assert.Contains(heads.TreeHeads, h => h.TreeSize == second);
        Assert.All(heads.TreeHeads, h => Assert.True(HeadVerifier.Verify(Head(h))));

        var report = await client.VerifyAsync(new V1.VerifyLedgerRequest(), GrpcCallers.Auditor());
        Assert.True(report.IsValid);
        Assert.Equal(-1, report.FirstBadIndex);

        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetInclusionProofAsync(new V1.GetInclusionProofRequest { Index = 0, TreeSize = 999_999 }, GrpcCallers.Auditor()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("TREE_HEAD_NOT_FOUND", missing.Trailers.GetValue("sealservice-code"));
        var clerk = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetTreeHeadAsync(new V1.GetTreeHeadRequest(), GrpcCallers.Clerk("twp-mudan-shatu")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        var officer = await Assert.ThrowsAsync<RpcException>(() =>
            client.VerifyAsync(new V1.VerifyLedgerRequest(), GrpcCallers.Officer("dept-mudan-spj")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, officer.StatusCode);
    }

    private static SignedTreeHead Head(V1.SignedTreeHead h) =>
        new(h.TreeSize, h.RootHash.ToByteArray(), h.Timestamp, h.Signature.ToByteArray(), h.KeyId);
}
