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
        // issued_at is the signed timestamp's instant.
        Assert.All(heads.TreeHeads, h => Assert.Equal(DateTimeOffset.Parse(h.Timestamp, System.Globalization.CultureInfo.InvariantCulture), h.IssuedAt.ToDateTimeOffset()));
        var one = await client.ListTreeHeadsAsync(new V1.ListTreeHeadsRequest { From = first, Limit = 1 }, GrpcCallers.Auditor());
        Assert.Equal(first, Assert.Single(one.TreeHeads).TreeSize);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() =>
            client.ListTreeHeadsAsync(new V1.ListTreeHeadsRequest { Limit = 1001 }, GrpcCallers.Auditor()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Equal("RANGE_INVALID", tooMany.Trailers.GetValue("sealservice-code"));

        // A seal use names its ledger entry over gRPC as over REST.
        var uses = await host.Stamping.QuerySealUsesAsync(new V1.QuerySealUsesRequest { SealId = "seal-mudan-spj-shatu", Limit = 200 }, GrpcCallers.Auditor());
        var use = uses.Items.Single(u => u.CaseNumber == "GRPC-LEDGER-9");
        var restUse = (await rest.GetJson($"/api/v1/documents/{use.DocumentId}/record")).GetProperty("sealUse");
        Assert.True(use.HasLedgerIndex);
        Assert.Equal(restUse.GetProperty("ledgerIndex").GetInt64(), use.LedgerIndex);

        var report = await client.VerifyAsync(new V1.VerifyLedgerRequest(), GrpcCallers.Auditor());
        Assert.True(report.IsValid);
        Assert.Equal(-1, report.FirstBadIndex);
        Assert.Null(report.FirstFinding);
        Assert.Equal(report.EntryCount - report.LatestSignedTreeSize, report.UnsignedEntries);

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

/// <summary>
/// The ledger's verification report says over gRPC all that REST says: every REST field has its gRPC field, with the
/// same values, on a ledger whose file was changed behind the service's back.
/// </summary>
public sealed class LedgerGrpcReportTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    [Fact]
    public async Task A_tampered_ledgers_report_has_every_rest_field_over_grpc()
    {
        var clerk = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        string? documentId = null;
        for (var i = 0; i < 3; i++)
            documentId = (await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", $"GRPC-REPORT-{i}")))
                .Json(HttpStatusCode.Created)).Str("documentId");
        var index = (await clerk.GetJson($"/api/v1/documents/{documentId}/record")).GetProperty("ledgerIndex").GetInt64();
        await host.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "GRPC-REPORT-UNSIGNED")))
            .Json(HttpStatusCode.Created);

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={SealService.Storage.Relational.DataDirectory.RegistryPath(host.DataDirectory)};Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = $"SELECT entry FROM ledger_entries WHERE idx = {index}";
            var entry = (byte[])read.ExecuteScalar()!;
            entry[entry.Length / 2] ^= 0x20;
            using var write = connection.CreateCommand();
            write.CommandText = $"UPDATE ledger_entries SET entry = $e WHERE idx = {index}";
            write.Parameters.AddWithValue("$e", entry);
            write.ExecuteNonQuery();
        }

        var auditor = host.CreateClient().WithToken(Tokens.For(Auth.SealClaims.Auditor, "审计员"));
        var rest = await (await auditor.PostAsync("/api/v1/ledger/verify", null)).Json();
        var grpc = await new V1.Ledger.LedgerClient(host.Channel).VerifyAsync(new V1.VerifyLedgerRequest(), GrpcCallers.Auditor());

        var fields = V1.LedgerVerificationReport.Descriptor.Fields.InDeclarationOrder().Select(f => f.JsonName).ToHashSet();
        Assert.All(rest.EnumerateObject(), p => Assert.True(fields.Contains(p.Name), $"REST field {p.Name} is missing from gRPC"));
        Assert.False(grpc.IsValid);
        Assert.Equal(rest.GetProperty("firstBadIndex").GetInt64(), grpc.FirstBadIndex);
        Assert.Equal(index, grpc.FirstBadIndex);
        Assert.Equal(rest.GetProperty("entryCount").GetInt64(), grpc.EntryCount);
        Assert.Equal(rest.GetProperty("treeHeadCount").GetInt32(), grpc.TreeHeadCount);
        Assert.Equal(rest.GetProperty("latestSignedTreeSize").GetInt64(), grpc.LatestSignedTreeSize);
        Assert.Equal(rest.GetProperty("unsignedEntries").GetInt64(), grpc.UnsignedEntries);
        Assert.True(grpc.UnsignedEntries >= 1, "the last stamp came after the head");
        var first = rest.GetProperty("firstFinding");
        Assert.Equal("ENTRY_MODIFIED", grpc.FirstFinding.Code);
        Assert.Equal(first.Str("code"), grpc.FirstFinding.Code);
        Assert.Equal(first.GetProperty("index").GetInt64(), grpc.FirstFinding.Index);
        Assert.Equal(first.Str("message"), grpc.FirstFinding.Message);
        Assert.Equal(rest.GetProperty("findings").GetArrayLength(), grpc.Findings.Count);
    }
}
