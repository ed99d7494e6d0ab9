using System.Text;
using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Verification;

namespace SealService.Ledger.Tests;

/// <summary>
/// Tampering done with a raw SQLite connection behind the ledger's back; the library verifier and
/// <c>sealctl ledger verify</c> must name the first bad index. The store has 40 entries and signed
/// heads at sizes 10, 20 and 40.
/// </summary>
public class TamperTests
{
    private const int Count = 40;

    public static TheoryData<string> Cases() => new(Tampers.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, (Action<SqliteConnection> Tamper, string Code, long Index)> Tampers = new()
    {
        ["modify-one-byte"] = (c => Exec(c, "UPDATE ledger_entries SET entry = CAST(REPLACE(CAST(entry AS TEXT), 'case-17', 'case-1X') AS BLOB) WHERE idx = 17"), LedgerFindingCodes.EntryModified, 17),
        ["delete-row"] = (c => Exec(c, "DELETE FROM ledger_entries WHERE idx = 23"), LedgerFindingCodes.EntryMissing, 23),
        ["delete-row-and-renumber"] = (c => { Exec(c, "DELETE FROM ledger_entries WHERE idx = 23"); Shift(c, 24, -1); }, LedgerFindingCodes.EntryMissing, 23),
        ["delete-tail"] = (c => Exec(c, "DELETE FROM ledger_entries WHERE idx >= 35"), LedgerFindingCodes.EntryMissing, 35),
        ["swap-rows"] = (c => SwapRows(c, 5, 30), LedgerFindingCodes.EntryReordered, 5),
        ["swap-entries-and-leaf-hashes"] = (c => SwapColumns(c, 5, 30, "entry", "leaf_hash"), LedgerFindingCodes.EntryReordered, 5),
        ["swap-entries-only"] = (c => SwapColumns(c, 5, 30, "entry"), LedgerFindingCodes.EntryReordered, 5),
        ["swap-adjacent-rows"] = (c => SwapRows(c, 8, 9), LedgerFindingCodes.EntryReordered, 8),
        ["insert-row"] = (c => Insert(c, 12, computeRoot: false), LedgerFindingCodes.EntryInserted, 12),
        ["insert-row-with-made-up-hashes"] = (c => Insert(c, 12, computeRoot: true), LedgerFindingCodes.EntryInserted, 12),
        ["insert-after-last-head"] = (c => Insert(c, 40, computeRoot: false), LedgerFindingCodes.EntryModified, 40),
    };

    [Fact]
    public async Task Untouched_store_passes_in_the_library_and_in_sealctl()
    {
        using var dir = await BuildAsync();
        var report = Verify(dir.Database);
        Assert.True(report.IsValid, string.Join("; ", report.Findings));
        Assert.Equal((Count, 3, 40L), (report.EntryCount, report.TreeHeadCount, report.LatestSignedTreeSize!.Value));

        var (exit, output) = await Sealctl.RunAsync("ledger", "verify", "--db", dir.Database);
        Assert.True(exit == 0, output);
        Assert.Contains("OK: 40 entries, 3 signed tree heads", output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verify_names_the_first_bad_index(string name)
    {
        var (tamper, code, index) = Tampers[name];
        using var dir = await BuildAsync();
        using (var connection = Raw(dir.Database))
        {
            tamper(connection);
        }

        var report = Verify(dir.Database);
        Assert.False(report.IsValid);
        Assert.Equal(index, report.FirstBadIndex);
        Assert.Equal(code, report.FirstFinding!.Code);

        var (exit, output) = await Sealctl.RunAsync("ledger", "verify", "--db", dir.Database);
        Assert.True(exit == 2, output);
        Assert.Contains($"first bad entry index {index}: {code}", output);

        // The same verdict offline, on an exported package.
        var zip = Path.Combine(dir.Path, "export.zip");
        var export = await Sealctl.RunAsync("ledger", "export", "--db", dir.Database, "--out", zip);
        Assert.True(export.ExitCode == 0, export.Output);
        (exit, output) = await Sealctl.RunAsync("ledger", "verify", "--package", zip, "--cert", Path.Combine(TestPaths.RepoRoot, "certs-dev", "ledger.pem"));
        Assert.True(exit == 2, output);
        Assert.Contains($"first bad entry index {index}: {code}", output);
    }

    [Fact]
    public async Task A_consistent_rewrite_with_all_hashes_recomputed_is_caught_by_the_signed_heads()
    {
        using var dir = await BuildAsync();
        using (var connection = Raw(dir.Database))
        {
            // The attacker rewrites entry 33 and recomputes its leaf hash and root_after.
            var tree = LoadTree(connection, 33);
            var entry = Encoding.UTF8.GetBytes("{\"case\":\"forged\"}");
            tree.AppendEntry(entry);
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger_entries SET entry = $e, leaf_hash = $h, root_after = $r WHERE idx = 33";
            command.Parameters.AddWithValue("$e", entry);
            command.Parameters.AddWithValue("$h", MerkleHash.Leaf(entry));
            command.Parameters.AddWithValue("$r", tree.RootHash(34));
            command.ExecuteNonQuery();
        }

        var report = Verify(dir.Database);
        Assert.False(report.IsValid);
        // Heads at 20 and 40 bound the change to [20, 40); the row after it shows the broken root.
        Assert.Contains(report.Findings, f => f.Code == LedgerFindingCodes.TreeHeadMismatch && f.Index == 20 && f.TreeSize == 40);
        Assert.Contains(report.Findings, f => f.Code == LedgerFindingCodes.EntryModified && f.Index == 34);
        Assert.InRange(report.FirstBadIndex!.Value, 20, 33);
    }

    [Fact]
    public async Task A_forged_tree_head_is_reported()
    {
        using var dir = await BuildAsync();
        using (var connection = Raw(dir.Database))
        {
            Exec(connection, "UPDATE ledger_tree_heads SET root_hash = zeroblob(32) WHERE tree_size = 20");
        }

        var report = Verify(dir.Database);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((LedgerFindingCodes.TreeHeadInvalid, 20L), (finding.Code, finding.TreeSize!.Value));
    }

    [Fact]
    public async Task Heads_signed_by_another_key_do_not_verify()
    {
        using var dir = await BuildAsync();
        var other = TreeHeadVerifier.FromCertificateBytes(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "certs-dev", "tsa.pem")));
        using var source = new SqliteLedgerSource(dir.Database);
        var report = LedgerVerifier.Verify(source, other);
        Assert.Equal(3, report.Findings.Count(f => f.Code == LedgerFindingCodes.TreeHeadInvalid));
    }

    private static async Task<TempLedgerDir> BuildAsync()
    {
        var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        for (var i = 0; i < Count; i++)
        {
            await ledger.AppendAsync(Encoding.UTF8.GetBytes($"{{\"case\":\"case-{i}\"}}"));
            if (i + 1 is 10 or 20 or 40)
            {
                await ledger.IssueTreeHeadAsync();
            }
        }

        return dir;
    }

    private static LedgerVerificationReport Verify(string database)
    {
        using var signer = TestPaths.Signer();
        using var source = new SqliteLedgerSource(database);
        return LedgerVerifier.Verify(source, signer.CreateVerifier());
    }

    private static SqliteConnection Raw(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Moves every row with idx ≥ from by delta (through negative indexes to dodge the primary key).</summary>
    private static void Shift(SqliteConnection connection, long from, long delta)
    {
        Exec(connection, $"UPDATE ledger_entries SET idx = -(idx + {delta}) - 1000 WHERE idx >= {from}");
        Exec(connection, "UPDATE ledger_entries SET idx = -(idx + 1000) WHERE idx < 0");
    }

    private static void SwapRows(SqliteConnection connection, long a, long b)
    {
        Exec(connection, $"UPDATE ledger_entries SET idx = -1 WHERE idx = {a}");
        Exec(connection, $"UPDATE ledger_entries SET idx = {a} WHERE idx = {b}");
        Exec(connection, $"UPDATE ledger_entries SET idx = {b} WHERE idx = -1");
    }

    private static void SwapColumns(SqliteConnection connection, long a, long b, params string[] columns)
    {
        foreach (var column in columns)
        {
            var valueA = Read(connection, column, a);
            var valueB = Read(connection, column, b);
            Write(connection, column, a, valueB);
            Write(connection, column, b, valueA);
        }
    }

    private static byte[] Read(SqliteConnection connection, string column, long index)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM ledger_entries WHERE idx = {index}";
        return (byte[])command.ExecuteScalar()!;
    }

    private static void Write(SqliteConnection connection, string column, long index, byte[] value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE ledger_entries SET {column} = $v WHERE idx = {index}";
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    private static void Insert(SqliteConnection connection, long at, bool computeRoot)
    {
        var entry = Encoding.UTF8.GetBytes("{\"case\":\"inserted\"}");
        byte[] root = new byte[32];
        if (computeRoot)
        {
            var tree = LoadTree(connection, at);
            tree.AppendEntry(entry);
            root = tree.RootHash(at + 1);
        }

        Shift(connection, at, 1);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO ledger_entries(idx, entry, leaf_hash, root_after) VALUES ($i, $e, $h, $r)";
        command.Parameters.AddWithValue("$i", at);
        command.Parameters.AddWithValue("$e", entry);
        command.Parameters.AddWithValue("$h", MerkleHash.Leaf(entry));
        command.Parameters.AddWithValue("$r", root);
        command.ExecuteNonQuery();
    }

    private static MerkleTree LoadTree(SqliteConnection connection, long count)
    {
        var tree = new MerkleTree();
        foreach (var row in Storage.LedgerDatabase.ReadEntries(connection, 0, null, count))
        {
            tree.AppendLeafHash(row.LeafHash);
        }

        return tree;
    }
}
