using BenchmarkDotNet.Attributes;
using SealService.Keys.Pki;
using SealService.Ledger;
using SealService.Ledger.Canonical;
using SealService.Ledger.Signing;

namespace SealService.Bench;

/// <summary>
/// Durable appends per second (SQLite WAL, synchronous=FULL) through the group-commit writer at
/// 1, 8 and 64 concurrent appenders, against one transaction per append (MaxBatchSize = 1, the
/// same code path otherwise). One operation = one append (OperationsPerInvoke).
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*LedgerBenchmarks*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int AppendsPerInvoke = 1024;

    private string _dir = "";
    private SealLedger _ledger = null!;
    private byte[] _entry = [];

    [Params(1, 8, 64)]
    public int Concurrency { get; set; }

    [Params(true, false)]
    public bool GroupCommit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealservice-ledger-bench-").FullName;
        var key = Path.Combine(FindRepoRoot(), "certs-dev", "ledger.p12");
        _ledger = SealLedger.OpenAsync(
            new LedgerOptions
            {
                DatabasePath = Path.Combine(_dir, LedgerOptions.DefaultDatabaseFileName),
                TreeHeadInterval = TimeSpan.Zero,
                MaxBatchSize = GroupCommit ? 512 : 1,
            },
            LedgerSigner.FromPkcs12(key, DevPki.DefaultPassphrase)).GetAwaiter().GetResult();
        // A realistic record: ~600 bytes of canonical JSON.
        _entry = new SealUseRecord
        {
            SealUseId = Guid.NewGuid().ToString(),
            At = DateTimeOffset.UtcNow,
            Outcome = "allowed",
            SealId = "seal-mudan-spj-shatu",
            SealVersion = 1,
            MatterId = "370000-mudan-000123",
            Step = "decide",
            CaseNumber = "MD-2026-000001",
            SubjectTownshipId = "shatu",
            Actor = new SealUseActor("张三", "clerk", "shatu", null),
            AgreementId = "agr-mudan-shatu-2026",
            AgreementVersion = 3,
            DocumentId = Guid.NewGuid().ToString(),
            DocumentNumber = "牡审沙〔2026〕0001号",
            DocumentSha256 = new string('a', 64),
        }.ToCanonicalBytes();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task Append()
    {
        var remaining = AppendsPerInvoke;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await _ledger.AppendAsync(_entry);
            }
        });
        await Task.WhenAll(workers);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "certs-dev", "ledger.p12")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
