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
            ["Ledger__Enabled"] = "false",
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

        public async Task<long> ScalarAsync(string sql)
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            await using var cmd = source.CreateCommand(sql);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

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
