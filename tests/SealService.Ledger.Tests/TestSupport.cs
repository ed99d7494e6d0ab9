using SealService.Keys.Pki;
using SealService.Ledger.Signing;

namespace SealService.Ledger.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string LedgerKey => Path.Combine(RepoRoot, "certs-dev", "ledger.p12");

    public static LedgerSigner Signer() => LedgerSigner.FromPkcs12(LedgerKey, DevPki.DefaultPassphrase);

    /// <summary>sealctl.dll built beside this test assembly's configuration.</summary>
    public static string SealctlDll
    {
        get
        {
            var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var tfm = Path.GetFileName(baseDir);
            var configuration = Path.GetFileName(Path.GetDirectoryName(baseDir)!);
            return Path.Combine(RepoRoot, "src", "SealService.Cli", "bin", configuration, tfm, "sealctl.dll");
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "certs-dev", "ledger.p12")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("certs-dev/ledger.p12 not found above the test folder.");
    }
}

/// <summary>A temporary folder with a ledger database path in it, deleted afterwards.</summary>
internal sealed class TempLedgerDir : IDisposable
{
    public TempLedgerDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ledger-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Database => System.IO.Path.Combine(Path, LedgerOptions.DefaultDatabaseFileName);

    public LedgerOptions Options(TimeSpan? interval = null, int everyEntries = 1000) => new()
    {
        DatabasePath = Database,
        TreeHeadInterval = interval ?? TimeSpan.Zero,
        TreeHeadEveryEntries = everyEntries,
    };

    public Task<SealLedger> OpenAsync(TimeSpan? interval = null, int everyEntries = 1000, TimeProvider? time = null) =>
        SealLedger.OpenAsync(Options(interval, everyEntries), TestPaths.Signer(), time);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a child process may still be releasing the file.
        }
    }
}
