using System.Data;
using Npgsql;
using SealService.Ledger;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;
using SealService.Ledger.Verification;
using Merkle = SealService.Ledger.Merkle.MerkleHash;

namespace SealService.Storage.Postgres;

/// <summary>
/// The seal-use ledger's rows and signed heads in the shared PostgreSQL database. Entries arrive in ledger_queue with
/// their stamps' transactions; <see cref="LedgerSequencer"/> (one node at a time) integrates them. Every node reads.
/// </summary>
public sealed class PostgresLedgerStorage : ILedgerStorage
{
    private readonly NpgsqlDataSource _source;
    private readonly LedgerSequencer _sequencer;

    internal PostgresLedgerStorage(NpgsqlDataSource source, string sequencerConnectionString, int maxBatch)
    {
        _source = source;
        _sequencer = new LedgerSequencer(sequencerConnectionString, maxBatch);
    }

    /// <summary>The ledger storage of <paramref name="registry"/>'s database, with its sequencer (started when a ledger opens on it).</summary>
    public static PostgresLedgerStorage For(PostgresRegistryStore registry, string? node = null) =>
        new(registry.Source, SequencerConnectionString(registry.ConnectionString, node ?? "sealctl"), PostgresServices.LedgerBatch);

    /// <summary>The sequencer's own connection: unpooled (a pooled one would keep the lock in the pool), named for pg_stat_activity.</summary>
    internal static string SequencerConnectionString(string connectionString, string node) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "sealservice-sequencer " + node }.ConnectionString;

    public string Describe => "postgres";

    /// <summary>Wakes this node's sequencer (after a commit that queued an entry).</summary>
    public void Signal() => _sequencer.Signal();

    public IEnumerable<StoredEntry> ReadEntries(long fromIndex, long toExclusive = long.MaxValue)
    {
        using var c = _source.OpenConnection();
        foreach (var row in ReadEntries(c, null, fromIndex, toExclusive))
            yield return row;
    }

    public IReadOnlyList<SignedTreeHead> ReadTreeHeads(long fromSize, long toSize, int limit)
    {
        using var c = _source.OpenConnection();
        return ReadTreeHeads(c, null, fromSize, toSize, limit);
    }

    public SignedTreeHead? ReadLatestTreeHead()
    {
        using var c = _source.OpenConnection();
        var heads = ReadTreeHeads(c, null, 0, long.MaxValue, 1, newestFirst: true);
        return heads.Count == 0 ? null : heads[0];
    }

    public void InsertTreeHead(SignedTreeHead head)
    {
        using var c = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("""
            INSERT INTO ledger_tree_heads(tree_size, root_hash, timestamp, key_id, signature) VALUES (@s, @r, @t, @k, @sig)
            ON CONFLICT (tree_size) DO NOTHING
            """, c);
        cmd.Parameters.AddWithValue("s", head.TreeSize);
        cmd.Parameters.AddWithValue("r", head.RootHash);
        cmd.Parameters.AddWithValue("t", head.Timestamp);
        cmd.Parameters.AddWithValue("k", head.KeyId);
        cmd.Parameters.AddWithValue("sig", head.Signature);
        cmd.ExecuteNonQuery();
    }

    public ILedgerSource OpenSnapshot() => new Snapshot(_source.OpenConnection());

    /// <summary>Hashes per tile (32 bytes each, so a full tile is 8 KiB).</summary>
    internal const int TileWidth = 256;

    public IReadOnlyList<byte[]>? ReadTreeLevels(long size)
    {
        var levels = new List<MemoryStream>();
        using (var c = _source.OpenConnection())
        using (var cmd = new NpgsqlCommand("SELECT level, tile, hashes FROM ledger_tiles ORDER BY level, tile", c))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var level = r.GetInt32(0);
                var tile = r.GetInt64(1);
                while (levels.Count <= level)
                    levels.Add(new MemoryStream());
                if (levels[level].Length != tile * TileWidth * Merkle.Size)
                    return null; // a gap: the tiles do not describe one tree
                var hashes = (byte[])r[2];
                levels[level].Write(hashes);
            }
        }

        var result = new List<byte[]>();
        for (var k = 0; (size >> k) > 0; k++)
        {
            var needed = (size >> k) * Merkle.Size;
            if (k >= levels.Count || levels[k].Length < needed)
                return null; // not covered (tiles older than the entries, or none yet)
            result.Add(levels[k].GetBuffer().AsSpan(0, checked((int)needed)).ToArray());
        }

        return result;
    }

    /// <summary>A consistent read of a ledger in the database <paramref name="connectionString"/> names (for sealctl).</summary>
    public static ILedgerSource OpenSnapshot(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return new Snapshot(connection);
    }

    public void Start(SealLedger ledger) => _sequencer.Start(ledger);

    public void Dispose() => _sequencer.Dispose();

    internal static IEnumerable<StoredEntry> ReadEntries(NpgsqlConnection c, NpgsqlTransaction? tx, long fromIndex, long toExclusive)
    {
        using var cmd = new NpgsqlCommand(
            "SELECT idx, entry, leaf_hash, root_after FROM ledger_entries WHERE idx >= @f AND idx < @t ORDER BY idx", c, tx);
        cmd.Parameters.AddWithValue("f", fromIndex);
        cmd.Parameters.AddWithValue("t", toExclusive);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            yield return new StoredEntry(r.GetInt64(0), (byte[])r[1], (byte[])r[2], (byte[])r[3]);
    }

    private static List<SignedTreeHead> ReadTreeHeads(
        NpgsqlConnection c, NpgsqlTransaction? tx, long fromSize, long toSize, int limit, bool newestFirst = false)
    {
        using var cmd = new NpgsqlCommand($"""
            SELECT tree_size, root_hash, timestamp, signature, key_id FROM ledger_tree_heads
            WHERE tree_size >= @f AND tree_size <= @t ORDER BY tree_size {(newestFirst ? "DESC" : "")} LIMIT @l
            """, c, tx);
        cmd.Parameters.AddWithValue("f", fromSize);
        cmd.Parameters.AddWithValue("t", toSize);
        cmd.Parameters.AddWithValue("l", (long)limit);
        using var r = cmd.ExecuteReader();
        var heads = new List<SignedTreeHead>();
        while (r.Read())
            heads.Add(new SignedTreeHead(r.GetInt64(0), (byte[])r[1], r.GetString(2), (byte[])r[3], r.GetString(4)));
        return heads;
    }

    /// <summary>One REPEATABLE READ transaction: the rows and heads the verifier reads agree with each other.</summary>
    private sealed class Snapshot : ILedgerSource
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _tx;

        public Snapshot(NpgsqlConnection connection)
        {
            _connection = connection;
            _tx = _connection.BeginTransaction(IsolationLevel.RepeatableRead);
        }

        public IEnumerable<StoredEntry> ReadEntries() => PostgresLedgerStorage.ReadEntries(_connection, _tx, 0, long.MaxValue);

        public IReadOnlyList<SignedTreeHead> ReadTreeHeads() => PostgresLedgerStorage.ReadTreeHeads(_connection, _tx, 0, long.MaxValue, int.MaxValue);

        public void Dispose()
        {
            _tx.Dispose();
            _connection.Dispose();
        }
    }
}
