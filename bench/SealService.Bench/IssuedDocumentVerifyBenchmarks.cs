using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Auth;
using SealService.Api.Verification;
using SealService.Ledger;
using SealService.Pdf.Verification.Reports;

namespace SealService.Bench;

/// <summary>
/// The whole report on documents the real host issued (in process, SQLite, demo registry, dev keys): signatures plus,
/// per SealService signature, the registry at the signing time and now, the seal-use record and the ledger inclusion
/// proof, and the issued file's SHA-256. One 20 KB upload stamped once, and the same document stamped ten times in turn
/// (each stamp adds its visible seal image, so the files are 87 KB and 688 KB).
/// In process (the host is found next to this assembly), short run. Run without --job:
/// dotnet run -c Release --project bench/SealService.Bench -- --filter '*IssuedDocumentVerifyBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class IssuedDocumentVerifyBenchmarks
{
    private string _dir = string.Empty;
    private WebApplicationFactory<Program> _host = null!;
    private DocumentVerifier _verifier = null!;
    private byte[] _once = [];
    private byte[] _tenTimes = [];
    private RSA _rsa = null!;
    private readonly byte[] _digest = SHA256.HashData("benchmark"u8);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealbench-issued-").FullName;
        // The host's files (templates, certs-dev) are copied next to this assembly; no source tree is needed.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SEALSERVICE_API", AppContext.BaseDirectory);
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("SealService:DataDirectory", _dir);
            b.UseSetting("Auth:UseDevKey", "true");
        });
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevTokenRequest(SealClaims.TownshipClerk, "基准窗口", TownshipId: "twp-mudan-shatu"), DateTimeOffset.UtcNow));
        using (var f = new MemoryStream())
        {
            BenchPdf.Write(f, 20 * 1024);
            _once = Stamp(client, f.ToArray(), 0);
        }

        _tenTimes = _once;
        for (var i = 1; i < 10; i++)
            _tenTimes = Stamp(client, _tenTimes, i);
        _host.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync().GetAwaiter().GetResult();
        _verifier = _host.Services.GetRequiredService<DocumentVerifier>();
        Console.WriteLine($"// issued files: {_once.Length} B with 1 signature, {_tenTimes.Length} B with 10");
        _rsa = RSA.Create(2048);
        foreach (var (file, signatures) in new[] { (_once, 1), (_tenTimes, 10) })
        {
            var report = Verify(file).GetAwaiter().GetResult();
            if (report.Verdict != Verdicts.Valid || report.Signatures.Count != signatures
                || report.Signatures.Any(s => !s.Checks.Any(c => c.Code == "LEDGER_INCLUDED")))
                throw new InvalidOperationException($"the {signatures}-signature file is {report.Verdict}, not valid with every check: "
                    + string.Join("; ", report.Checks.Concat(report.Signatures.SelectMany(s => s.Checks)).Where(c => c.Status != VerificationCheck.Pass).Select(c => c.Code)));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "report on an issued PDF, 1 signature (20 KB upload, 87 KB stamped; registry + ledger)")]
    public Task<VerificationReport> VerifyOnce() => Verify(_once);

    [Benchmark(Description = "report on an issued PDF, 10 signatures in turn (688 KB; registry + ledger)")]
    public Task<VerificationReport> VerifyTen() => Verify(_tenTimes);

    [Benchmark(Description = "raw RSA-2048 sign (SHA-256 digest, PKCS#1 v1.5)")]
    public byte[] RawRsa2048() => _rsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private Task<VerificationReport> Verify(byte[] file) => _verifier.VerifyAsync(new MemoryStream(file, writable: false), null, CancellationToken.None);

    /// <summary>Signs an upload through POST /api/v1/stampings and downloads the issued document.</summary>
    private static byte[] Stamp(HttpClient client, byte[] pdf, int n)
    {
        var request = new
        {
            sealId = "seal-mudan-spj-shatu",
            matterId = "mat-heze-mudan-001",
            step = "decide",
            caseNumber = $"BENCH-{Guid.NewGuid():N}"[..20],
            subjectTownshipId = "twp-mudan-shatu",
            documentKind = "decision",
            placement = new { page = 1, x = 40 + (n * 50), y = 60, width = 45, height = 45 },
        };
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings")
        {
            Content = new MultipartFormDataContent { { JsonContent.Create(request), "request" }, { file, "file", "upload.pdf" } },
        };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = client.SendAsync(message).GetAwaiter().GetResult();
        var body = response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"stamping failed: {(int)response.StatusCode} {body}");
        var id = body.GetProperty("documentId").GetString();
        return client.GetByteArrayAsync($"/api/v1/documents/{id}").GetAwaiter().GetResult();
    }
}

/// <summary>A short run in the benchmark's own process: WebApplicationFactory finds the host's content root from here.</summary>
internal sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
