using System.CommandLine;
using System.IO.Compression;
using System.Net;
using System.Text;
using SealService.Api.Tests.Infrastructure;
using SealService.Cli;
using SealService.Cli.Commands;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Ledger;

/// <summary>
/// <c>sealctl audit verify-package</c> on a package fetched from the real host (real SQLite file, dev ledger key): it
/// verifies as served; a flipped byte in a PDF, in manifest.json or in a proof, and an extra file, each fail with their code.
/// </summary>
public sealed class AuditPackageVerifyTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>, IDisposable
{
    private const string Shatu = "twp-mudan-shatu";
    private readonly string _dir = Directory.CreateTempSubdirectory("verify-package-").FullName;
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "certs-dev", "root-ca.pem");
    private static readonly string LedgerPem = Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.pem");

    [Fact]
    public async Task Package_from_the_host_verifies_and_each_kind_of_tampering_is_named()
    {
        var package = await FetchPackage();

        var ok = await Verify(package, "--cert", LedgerPem);
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.StartsWith("OK:", ok.Out, StringComparison.Ordinal);

        string pdf;
        string proof;
        using (var zip = ZipFile.OpenRead(package))
        {
            pdf = zip.Entries.First(e => e.FullName.StartsWith("documents/", StringComparison.Ordinal)).FullName;
            proof = zip.Entries.First(e => e.FullName.StartsWith("ledger/proofs/", StringComparison.Ordinal)).FullName;
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("ledger/entries/", StringComparison.Ordinal));
        }

        var badPdf = await Verify(Tampered(package, "pdf", pdf, b => b[b.Length / 2] ^= 1));
        Assert.Equal(AuditCommands.FailedExitCode, badPdf.Code);
        Assert.StartsWith($"FAIL: FILE_HASH_MISMATCH: {pdf}:", badPdf.Out, StringComparison.Ordinal);

        var badManifest = await Verify(Tampered(package, "manifest", "manifest.json", b => b[b.Length / 2] ^= 1));
        Assert.Equal(AuditCommands.FailedExitCode, badManifest.Code);
        Assert.StartsWith("FAIL: MANIFEST_SIGNATURE_INVALID:", badManifest.Out, StringComparison.Ordinal);

        // One base64 character of the leaf hash changed: the file no longer matches the manifest, and the proof fails too.
        var badProof = await Verify(Tampered(package, "proof", proof, FlipLeafHash));
        Assert.Equal(AuditCommands.FailedExitCode, badProof.Code);
        Assert.StartsWith($"FAIL: FILE_HASH_MISMATCH: {proof}:", badProof.Out, StringComparison.Ordinal);
        Assert.Contains("also PROOF_INVALID: ledger index", badProof.Out, StringComparison.Ordinal);

        var extra = Path.Combine(_dir, "extra.zip");
        File.Copy(package, extra);
        using (var zip = ZipFile.Open(extra, ZipArchiveMode.Update))
        await using (var s = zip.CreateEntry("documents/extra.pdf").Open())
            await s.WriteAsync("%PDF-1.7\n"u8.ToArray());
        var unlisted = await Verify(extra);
        Assert.Equal(AuditCommands.FailedExitCode, unlisted.Code);
        Assert.StartsWith("FAIL: FILE_UNLISTED: documents/extra.pdf", unlisted.Out, StringComparison.Ordinal);

        // A case archive has the same layout and verifies the same way.
        var archive = await factory.Auditor().GetAsync("/api/v1/cases/VERIFY-PKG-000001/archive");
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        var archivePath = Path.Combine(_dir, "case.zip");
        await using (var file = File.Create(archivePath))
            await archive.Content.CopyToAsync(file);
        using (var zip = ZipFile.OpenRead(archivePath))
        {
            Assert.Single(zip.Entries, e => e.FullName.StartsWith("documents/", StringComparison.Ordinal));
            Assert.Single(zip.Entries, e => e.FullName.StartsWith("ledger/entries/", StringComparison.Ordinal));
        }

        var caseOk = await Verify(archivePath, "--cert", LedgerPem);
        Assert.True(caseOk.Code == 0, caseOk.Out + caseOk.Err);

        // A pinned certificate that did not sign the package is refused.
        var other = await Verify(package, "--cert", Root);
        Assert.Equal(AuditCommands.FailedExitCode, other.Code);
        Assert.StartsWith("FAIL: SIGNER_NOT_PINNED:", other.Out, StringComparison.Ordinal);
    }

    /// <summary>A stamp, a refusal and another stamp (so audit paths are not empty), then the department's package.</summary>
    private async Task<string> FetchPackage()
    {
        var clerk = factory.Clerk(Shatu);
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "VERIFY-PKG-000001")))
            .Json(HttpStatusCode.Created);
        await (await factory.Clerk("twp-mudan-wudian").StampJson(Template("seal-mudan-spj-wudian", "mat-heze-mudan-001", "decide", "twp-mudan-wudian", "licence-decision", "VERIFY-PKG-000002")))
            .AssertProblem(HttpStatusCode.Forbidden, "STEP_NOT_ALLOWED");
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "accept", Shatu, "acceptance-receipt", "VERIFY-PKG-000003")))
            .Json(HttpStatusCode.Created);
        var response = await factory.Auditor().GetAsync("/api/v1/audit-packages?departmentId=dept-mudan-spj");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(_dir, "audit.zip");
        await using (var file = File.Create(path))
            await response.Content.CopyToAsync(file);
        return path;
    }

    private static void FlipLeafHash(byte[] bytes)
    {
        var at = Encoding.UTF8.GetString(bytes).IndexOf("\"leafHash\":\"", StringComparison.Ordinal) + "\"leafHash\":\"".Length;
        bytes[at] = bytes[at] == (byte)'A' ? (byte)'B' : (byte)'A';
    }

    /// <summary>A copy of the package with one entry's bytes changed.</summary>
    private string Tampered(string package, string label, string entryName, Action<byte[]> change)
    {
        var copy = Path.Combine(_dir, label + ".zip");
        File.Copy(package, copy);
        using var zip = ZipFile.Open(copy, ZipArchiveMode.Update);
        var entry = zip.GetEntry(entryName)!;
        byte[] bytes;
        using (var source = entry.Open())
        using (var buffer = new MemoryStream())
        {
            source.CopyTo(buffer);
            bytes = buffer.ToArray();
        }

        change(bytes);
        entry.Delete();
        using var target = zip.CreateEntry(entryName).Open();
        target.Write(bytes);
        return copy;
    }

    private static async Task<(int Code, string Out, string Err)> Verify(string package, params string[] more)
    {
        var root = new RootCommand("sealctl");
        root.Options.Add(CliGlobals.DataOption);
        root.Subcommands.Add(AuditCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(["audit", "verify-package", "--in", package, "--root", Root, .. more])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
