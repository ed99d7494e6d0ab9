using Npgsql;
using SealService.Api.Tests.Infrastructure;
using SealService.TestSupport;

namespace SealService.Api.Tests.MultiNode;

/// <summary>
/// Three SealService nodes as separate processes over one real PostgreSQL server (the test's own, on a free loopback port)
/// and one shared data folder for the document files. One per test class; each test gets its own database.
/// </summary>
public sealed class Cluster : IDisposable
{
    /// <summary>Short enough for a test to see a killed node's blocks swept, long enough for a busy two-core machine.</summary>
    public const int NodeLeaseSeconds = 4;

    private readonly PostgresServer _postgres = new();
    private int _databases;

    public PostgresServer Postgres => _postgres;

    /// <summary>Starts <paramref name="count"/> nodes on a fresh database; <paramref name="settings"/> go to every node.</summary>
    internal async Task<Nodes> StartAsync(int count = 3, IReadOnlyDictionary<string, string>? settings = null)
    {
        var name = "cluster" + Interlocked.Increment(ref _databases);
        await using (var admin = NpgsqlDataSource.Create(_postgres.ConnectionString()))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {name}"))
            await create.ExecuteNonQueryAsync();
        var data = Directory.CreateTempSubdirectory("sealservice-cluster-").FullName;
        var all = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = _postgres.ConnectionString(name) + ";Maximum Pool Size=40",
            ["Storage__NodeLeaseSeconds"] = NodeLeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ledger__TreeHeadInterval"] = "00:00:00.500",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            all[k] = v;
        var nodes = new Nodes(data, _postgres.ConnectionString(name));
        try
        {
            // Started together, as an operator's deployment would: migrations and seeding must not collide.
            var started = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
                ServiceProcess.StartAsync(data, settings: new Dictionary<string, string>(all) { ["Storage__NodeId"] = $"node{i + 1}" })));
            nodes.Processes.AddRange(started);
        }
        catch
        {
            nodes.Dispose();
            throw;
        }

        return nodes;
    }

    public void Dispose() => _postgres.Dispose();

    internal sealed class Nodes(string data, string connectionString) : IDisposable
    {
        public List<ServiceProcess> Processes { get; } = [];

        public string Data => data;

        public string ConnectionString => connectionString;

        public ServiceProcess this[int i] => Processes[i];

        /// <summary>
        /// Waits until the sequencer has integrated every queued entry and a signed head covers them, then asks node
        /// <paramref name="node"/> to verify the whole ledger (entries, roots, heads, consistency). Returns the tree size.
        /// </summary>
        public async Task<long> SettledLedgerAsync(int node = 0)
        {
            var auditor = Processes[node].Client(Tokens.For("auditor", "审计员"));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var queued = await ScalarAsync("SELECT COUNT(*) FROM ledger_queue");
                var entries = await ScalarAsync("SELECT COUNT(*) FROM ledger_entries");
                var signed = await ScalarAsync("SELECT COALESCE(MAX(tree_size), 0) FROM ledger_tree_heads");
                if (queued == 0 && signed == entries && entries > 0)
                {
                    var report = System.Text.Json.JsonDocument.Parse(await (await auditor.PostAsync("/api/v1/ledger/verify", null)).Content.ReadAsStringAsync()).RootElement;
                    Assert.True(report.GetProperty("isValid").GetBoolean(), report.ToString());
                    return entries;
                }

                await Task.Delay(200);
            }

            throw new Xunit.Sdk.XunitException("the ledger did not settle: " + await ScalarAsync("SELECT COUNT(*) FROM ledger_queue") + " entries still queued");
        }

        /// <summary>Which node (0-based) holds the ledger's sequencer lock now, by its connection's application name; -1 if none.</summary>
        public async Task<int> SequencerAsync()
        {
            var name = await TextAsync("""
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'sealservice-sequencer %'
                """);
            for (var i = 0; i < Processes.Count; i++)
            {
                if (name.Contains($" node{i + 1}/", StringComparison.Ordinal))
                    return i;
            }

            return -1;
        }

        public Task<string> TextAsync(string sql) => PgSql.TextAsync(connectionString, sql);

        public Task<long> ScalarAsync(string sql) => PgSql.ScalarAsync(connectionString, sql);

        public void Dispose()
        {
            foreach (var p in Processes)
                p.Dispose();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // a file still held by a dying node: the temp folder is cleaned later
            }
        }
    }
}
