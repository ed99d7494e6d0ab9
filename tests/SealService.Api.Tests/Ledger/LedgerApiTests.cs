using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Ledger;

/// <summary>
/// The ledger wired into the real host (Kestrel, SQLite file, dev ledger key): every seal use (stamped and refused) is an
/// entry, its index is on the record, proofs served with their signed heads verify, the verify API names a byte changed in
/// the file behind the service's back.
/// </summary>
public sealed class LedgerApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Wudian = "twp-mudan-wudian";
    private const string ShatuSeal = "seal-mudan-spj-shatu";
    private const string WudianSeal = "seal-mudan-spj-wudian";
    private const string Licence = "mat-heze-mudan-001";
    private const string Department = "dept-mudan-spj";

    private static readonly TreeHeadVerifier HeadVerifier =
        TreeHeadVerifier.FromCertificateBytes(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.pem")));

    [Fact]
    public async Task Stamped_and_refused_uses_are_entries_and_the_record_carries_a_verifiable_proof()
    {
        var before = factory.Ledger.Size;
        var clerk = factory.Clerk(Shatu);
        var stamped = await (await clerk.StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", "LEDGER-2026-000001")))
            .Json(HttpStatusCode.Created);
        var refused = await (await factory.Clerk(Wudian).StampJson(Template(WudianSeal, Licence, "decide", Wudian, "licence-decision", "LEDGER-2026-000002")))
            .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        Assert.Equal(before + 2, factory.Ledger.Size);

        // The stamped use: its record names its index, the entry is that use's canonical record; no head yet → pending.
        var record = await clerk.GetJson($"/api/v1/documents/{stamped.Str("documentId")}/record");
        var index = record.GetProperty("ledgerIndex").GetInt64();
        Assert.Equal(index, record.GetProperty("sealUse").GetProperty("ledgerIndex").GetInt64());
        Assert.Equal("pending", record.GetProperty("ledgerProof").Str("status"));
        var entry = JsonNode.Parse(await factory.Ledger.GetEntryAsync(index))!;
        Assert.Equal(stamped.Str("sealUseId"), (string)entry["sealUseId"]!);
        Assert.Equal("allowed", (string)entry["outcome"]!);
        Assert.Equal(stamped.Str("sha256"), (string)entry["documentSha256"]!);

        // The refusal is an entry too, and the register shows its index.
        var refusalId = refused.Str("sealUseId");
        var uses = await factory.Auditor().AllSealUses("outcome=refused");
        var refusal = uses.Single(u => u.Str("id") == refusalId);
        var refusalEntry = JsonNode.Parse(await factory.Ledger.GetEntryAsync(refusal.GetProperty("ledgerIndex").GetInt64()))!;
        Assert.Equal(refusalId, (string)refusalEntry["sealUseId"]!);
        Assert.Equal("STEP_NOT_ALLOWED", (string)refusalEntry["code"]!);

        // Once a head covers it, the record carries the inclusion proof and that head: both verify independently of the service.
        await factory.Ledger.IssueTreeHeadAsync();
        var included = (await clerk.GetJson($"/api/v1/documents/{stamped.Str("documentId")}/record")).GetProperty("ledgerProof");
        Assert.Equal("included", included.Str("status"));
        var proof = included.GetProperty("inclusionProof");
        AssertInclusion(proof, index, await factory.Ledger.GetEntryAsync(index));

        // The same through /ledger/proofs/inclusion, for the refusal, as an officer of the department.
        var refusalIndex = refusal.GetProperty("ledgerIndex").GetInt64();
        var served = await factory.Officer(Department).GetJson($"/api/v1/ledger/proofs/inclusion?index={refusalIndex}");
        AssertInclusion(served, refusalIndex, await factory.Ledger.GetEntryAsync(refusalIndex));
    }

    [Fact]
    public async Task Consistency_between_two_served_heads_verifies()
    {
        var clerk = factory.Clerk(Shatu);
        await (await clerk.StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", "LEDGER-2026-000010"))).Json(HttpStatusCode.Created);
        var first = (await factory.Ledger.IssueTreeHeadAsync()).TreeSize;
        for (var i = 0; i < 3; i++)
            await (await factory.Clerk(Wudian).StampJson(Template(WudianSeal, Licence, "decide", Wudian, "licence-decision", $"LEDGER-2026-00002{i}")))
                .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        var latest = await factory.Auditor().GetJson("/api/v1/ledger/tree-head");
        Assert.Equal(first, latest.GetProperty("treeSize").GetInt64()); // nothing signed on reading
        var second = (await factory.Ledger.IssueTreeHeadAsync()).TreeSize;
        Assert.Equal(first + 3, second);

        var proof = await factory.Auditor().GetJson($"/api/v1/ledger/proofs/consistency?first={first}&second={second}");
        var firstHead = Head(proof.GetProperty("firstTreeHead"));
        var secondHead = Head(proof.GetProperty("secondTreeHead"));
        Assert.True(HeadVerifier.Verify(firstHead));
        Assert.True(HeadVerifier.Verify(secondHead));
        var path = proof.GetProperty("consistencyPath").EnumerateArray().Select(p => p.GetBytesFromBase64()).ToList();
        Assert.True(MerkleProofVerifier.VerifyConsistency(first, second, firstHead.RootHash, secondHead.RootHash, path));
        path[0][0] ^= 1;
        Assert.False(MerkleProofVerifier.VerifyConsistency(first, second, firstHead.RootHash, secondHead.RootHash, path));

        var heads = await factory.Auditor().GetJson($"/api/v1/ledger/tree-heads?from={first}&to={second}");
        Assert.Equal([first, second], heads.EnumerateArray().Select(h => h.GetProperty("treeSize").GetInt64()));
        Assert.All(heads.EnumerateArray(), h => Assert.True(HeadVerifier.Verify(Head(h))));
    }

    [Fact]
    public async Task Access_and_error_codes()
    {
        await (await factory.Clerk(Shatu).GetAsync("/api/v1/ledger/tree-head")).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await factory.Officer(Department).PostAsync("/api/v1/ledger/verify", null)).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await factory.Auditor().GetAsync("/api/v1/ledger/proofs/inclusion?index=0&treeSize=999999")).AssertProblem(HttpStatusCode.NotFound, "TREE_HEAD_NOT_FOUND");
        await (await factory.Auditor().GetAsync("/api/v1/ledger/proofs/inclusion?index=-1")).AssertProblem(HttpStatusCode.BadRequest, "RANGE_INVALID");
        await (await factory.Auditor().GetAsync("/api/v1/ledger/proofs/consistency?first=1")).AssertProblem(HttpStatusCode.BadRequest, "RANGE_INVALID");
        var report = await (await factory.Auditor().PostAsync("/api/v1/ledger/verify", null)).Json();
        Assert.True(report.GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task Audit_package_lists_exactly_the_departments_uses_and_its_manifest_signature_verifies()
    {
        var clerk = factory.Clerk(Shatu);
        await (await clerk.StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", "LEDGER-2026-000030"))).Json(HttpStatusCode.Created);
        await (await factory.Clerk(Wudian).StampJson(Template(WudianSeal, Licence, "decide", Wudian, "licence-decision", "LEDGER-2026-000031")))
            .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        await (await factory.Clerk("twp-zezhou-xx").StampJson(Template("seal-zezhou-xx", "mat-jincheng-zezhou-town-007", "decide", "twp-zezhou-xx", "certificate", "ZZX-2026-000999")))
            .Json(HttpStatusCode.Created); // another department: must not be in the package

        var officer = factory.Officer(Department);
        await (await officer.GetAsync("/api/v1/audit-packages?departmentId=dept-other")).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
        var response = await officer.GetAsync($"/api/v1/audit-packages?departmentId={Department}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var dir = Directory.CreateTempSubdirectory("audit-package-").FullName;
        await using (var body = await response.Content.ReadAsStreamAsync())
            ZipFile.ExtractToDirectory(body, dir);

        AssertManifestSigned(dir);
        var manifest = JsonNode.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json")))!;
        var listed = manifest["files"]!.AsArray().Select(f => (string)f!["name"]!).ToHashSet();
        foreach (var file in manifest["files"]!.AsArray())
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, (string)file!["name"]!));
            Assert.Equal((string)file["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var expected = (await factory.Auditor().AllSealUses($"departmentId={Department}")).Select(u => u.Str("id")).Order().ToList();
        using var uses = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "seal-uses.json")));
        Assert.Equal(expected, uses.RootElement.EnumerateArray().Select(u => u.Str("id")).Order().ToList());
        Assert.Equal(expected.Count + 1, File.ReadAllLines(Path.Combine(dir, "seal-uses.csv")).Length);
        Assert.Contains(uses.RootElement.EnumerateArray(), u => u.Str("outcome") == "refused");

        // Each use: its document (if any) with the recorded hash, and an inclusion proof against the package's signed head.
        var head = Head(JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "ledger", "tree-head.json"))).RootElement);
        Assert.True(HeadVerifier.Verify(head));
        foreach (var use in uses.RootElement.EnumerateArray())
        {
            if (use.TryGetProperty("documentId", out var doc) && doc.ValueKind == JsonValueKind.String)
                Assert.Equal(use.Str("sha256"), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "documents", doc.GetString() + ".pdf")))));
            var index = use.GetProperty("ledgerIndex").GetInt64();
            Assert.Contains($"ledger/proofs/{index}.json", listed);
            var proof = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "ledger", "proofs", $"{index}.json"))).RootElement;
            Assert.Equal(head.RootHash, proof.GetProperty("treeHead").GetProperty("rootHash").GetBytesFromBase64());
            AssertInclusion(proof, index, await factory.Ledger.GetEntryAsync(index));
        }

        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Case_archive_holds_the_cases_documents_and_records()
    {
        var clerk = factory.Clerk(Shatu);
        const string caseNumber = "LEDGER-CASE-000040";
        var receipt = await (await clerk.StampJson(Template(ShatuSeal, Licence, "accept", Shatu, "acceptance-receipt", caseNumber))).Json(HttpStatusCode.Created);
        var decision = await (await clerk.StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", caseNumber))).Json(HttpStatusCode.Created);
        var response = await factory.Auditor().GetAsync($"/api/v1/cases/{caseNumber}/archive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains($"documents/{receipt.Str("documentId")}.pdf", names);
        Assert.Contains($"documents/{decision.Str("documentId")}.pdf", names);
        Assert.Contains("manifest.sig", names);
        await using var json = zip.GetEntry("seal-uses.json")!.Open();
        using var uses = await JsonDocument.ParseAsync(json);
        Assert.Equal(2, uses.RootElement.GetArrayLength());
        Assert.All(uses.RootElement.EnumerateArray(), u => Assert.Equal(caseNumber, u.Str("caseNumber")));
    }

    /// <summary>
    /// A seal use's entry changed, deleted, swapped with the next, or a row inserted before it, in the SQLite file while the
    /// service runs: the verify API and <c>sealctl ledger verify --data</c> name that index.
    /// </summary>
    [Theory]
    [InlineData("modify-one-byte", "ENTRY_MODIFIED")]
    [InlineData("delete-row", "ENTRY_MISSING")]
    [InlineData("swap-rows", "ENTRY_REORDERED")]
    [InlineData("insert-row", "ENTRY_INSERTED")]
    public async Task A_change_to_the_file_behind_the_services_back_is_named_by_the_verify_api_and_sealctl(string tamper, string code)
    {
        await using var own = new LedgerApiFactory();
        long index = 0;
        for (var i = 0; i < 4; i++)
        {
            var stamped = await (await own.Clerk(Shatu).StampJson(Template(ShatuSeal, Licence, "decide", Shatu, "licence-decision", $"LEDGER-T-{i}")))
                .Json(HttpStatusCode.Created);
            if (i == 1)
                index = (await own.Clerk(Shatu).GetJson($"/api/v1/documents/{stamped.Str("documentId")}/record")).GetProperty("ledgerIndex").GetInt64();
        }

        await own.Ledger.IssueTreeHeadAsync();
        Assert.True((await (await own.Auditor().PostAsync("/api/v1/ledger/verify", null)).Json()).GetProperty("isValid").GetBoolean());
        // From any working folder, with the dev ledger certificate sealctl ships beside itself.
        var elsewhere = Directory.CreateTempSubdirectory("sealctl-cwd-").FullName;
        var sealctl = Path.Combine(AppContext.BaseDirectory, "sealctl.dll");
        var intact = SealService.TestSupport.ExternalTools.RunIn(elsewhere, "dotnet", sealctl, "ledger", "verify", "--data", own.DataDirectory);
        Assert.True(intact.ExitCode == 0, intact.All);

        using (var connection = new SqliteConnection($"Data Source={own.Database};Pooling=False"))
        {
            connection.Open();
            switch (tamper)
            {
                case "modify-one-byte":
                    var entry = (byte[])Scalar(connection, $"SELECT entry FROM ledger_entries WHERE idx = {index}")!;
                    entry[entry.Length / 2] ^= 0x20;
                    Exec(connection, $"UPDATE ledger_entries SET entry = $e WHERE idx = {index}", entry);
                    break;
                case "delete-row":
                    Exec(connection, $"DELETE FROM ledger_entries WHERE idx = {index}");
                    break;
                case "swap-rows":
                    Exec(connection, $"UPDATE ledger_entries SET idx = -1 WHERE idx = {index}");
                    Exec(connection, $"UPDATE ledger_entries SET idx = {index} WHERE idx = {index + 1}");
                    Exec(connection, $"UPDATE ledger_entries SET idx = {index + 1} WHERE idx = -1");
                    break;
                default: // insert a made-up use at index, later rows shifted up (through negative indexes to dodge the key)
                    Exec(connection, $"UPDATE ledger_entries SET idx = -(idx + 1) - 1000 WHERE idx >= {index}");
                    Exec(connection, "UPDATE ledger_entries SET idx = -(idx + 1000) WHERE idx < 0");
                    var fake = System.Text.Encoding.UTF8.GetBytes("{\"sealUseId\":\"su-made-up\"}");
                    Exec(connection, $"INSERT INTO ledger_entries(idx, entry, leaf_hash, root_after) VALUES ({index}, $e, $h, zeroblob(32))",
                        fake, SHA256.HashData([0, .. fake]));
                    break;
            }
        }

        var report = await (await own.Auditor().PostAsync("/api/v1/ledger/verify", null)).Json();
        Assert.False(report.GetProperty("isValid").GetBoolean());
        Assert.Equal(index, report.GetProperty("firstBadIndex").GetInt64());
        Assert.Equal(code, report.GetProperty("firstFinding").Str("code"));

        var tampered = SealService.TestSupport.ExternalTools.RunIn(elsewhere, "dotnet", sealctl, "ledger", "verify", "--data", own.DataDirectory);
        Assert.Equal(2, tampered.ExitCode);
        Assert.StartsWith($"FAIL: first bad entry index {index}: {code}", tampered.All, StringComparison.Ordinal);
        Directory.Delete(elsewhere, recursive: true);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Exec(SqliteConnection connection, string sql, params byte[][] blobs)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new[] { "$e", "$h" };
        for (var i = 0; i < blobs.Length; i++)
            command.Parameters.AddWithValue(names[i], blobs[i]);
        command.ExecuteNonQuery();
    }

    internal static SignedTreeHead Head(JsonElement e) => SignedTreeHead.FromJson(JsonNode.Parse(e.GetRawText()));

    /// <summary>The served proof: leaf hash = H(0x00 ‖ entry), audit path to the served head's root, head signed by the ledger key.</summary>
    internal static void AssertInclusion(JsonElement proof, long index, byte[] entry)
    {
        var head = Head(proof.GetProperty("treeHead"));
        Assert.True(HeadVerifier.Verify(head));
        Assert.Equal(head.TreeSize, proof.GetProperty("treeSize").GetInt64());
        Assert.Equal(index, proof.GetProperty("index").GetInt64());
        var leaf = SHA256.HashData([0, .. entry]);
        Assert.Equal(leaf, proof.GetProperty("leafHash").GetBytesFromBase64());
        var path = proof.GetProperty("auditPath").EnumerateArray().Select(p => p.GetBytesFromBase64()).ToList();
        Assert.True(MerkleProofVerifier.VerifyInclusion(index, head.TreeSize, leaf, path, head.RootHash));
    }

    /// <summary>openssl checks manifest.sig (detached CMS) over manifest.json, chaining the ledger certificate to the dev root.</summary>
    private static void AssertManifestSigned(string dir)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "certs-dev", "root-ca.pem");
        var result = SealService.TestSupport.ExternalTools.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", Path.Combine(dir, "manifest.sig"), "-content", Path.Combine(dir, "manifest.json"), "-CAfile", root, "-purpose", "any", "-out", "/dev/null");
        Assert.True(result.ExitCode == 0, result.All);
        var tampered = Path.Combine(dir, "manifest.tampered");
        var bytes = File.ReadAllBytes(Path.Combine(dir, "manifest.json"));
        bytes[^2] ^= 1;
        File.WriteAllBytes(tampered, bytes);
        var bad = SealService.TestSupport.ExternalTools.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", Path.Combine(dir, "manifest.sig"), "-content", tampered, "-CAfile", root, "-purpose", "any", "-out", "/dev/null");
        Assert.NotEqual(0, bad.ExitCode);
    }
}
