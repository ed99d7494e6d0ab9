using System.Diagnostics;
using SealService.Ledger.Verification;

namespace SealService.Ledger.Tests;

/// <summary>SIGKILL in the middle of a burst of 500 concurrent appenders: every index reported as committed survives and the log verifies.</summary>
public class CrashTests
{
    [Fact]
    public async Task Entries_reported_committed_survive_SIGKILL_mid_burst()
    {
        using var dir = new TempLedgerDir();
        var info = Sealctl.StartInfo("ledger", "append-burst", "--db", dir.Database, "--count", "200000", "--concurrency", "500", "--key", TestPaths.LedgerKey);
        var committed = new List<long>();
        using (var child = Process.Start(info)!)
        {
            _ = child.StandardError.ReadToEndAsync();
            // Read "committed N" lines until well into the burst, then kill -9 without warning.
            while (committed.Count < 1500 && await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    committed.Add(long.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            Assert.False(child.HasExited, "the burst finished before it could be killed; raise --count");
            child.Kill(entireProcessTree: true); // SIGKILL on Linux
            await child.WaitForExitAsync();
        }

        Assert.Equal(1500, committed.Count);

        // Reopen: the WAL is recovered, every acknowledged index is there, and the log verifies.
        await using var ledger = await dir.OpenAsync();
        Assert.True(ledger.Size >= committed.Max() + 1, $"size {ledger.Size} but index {committed.Max()} was acknowledged");
        foreach (var index in committed)
        {
            Assert.NotEmpty(await ledger.GetEntryAsync(index));
        }

        var head = await ledger.IssueTreeHeadAsync();
        Assert.Equal(ledger.Size, head.TreeSize);
        using var source = new SqliteLedgerSource(dir.Database);
        var report = LedgerVerifier.Verify(source, ledger.TreeHeadVerifier);
        Assert.True(report.IsValid, string.Join("; ", report.Findings));
    }
}
