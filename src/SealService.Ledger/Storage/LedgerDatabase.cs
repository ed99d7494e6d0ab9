using Microsoft.Data.Sqlite;

namespace SealService.Ledger.Storage;

/// <summary>One stored row of the log.</summary>
public sealed record StoredEntry(long Index, byte[] Entry, byte[] LeafHash, byte[] RootAfter);

/// <summary>
/// The ledger's SQLite tables and connections. WAL + synchronous=FULL: a commit is on disk before
/// it returns. Tables (documented in docs/ledger.md):
/// ledger_entries(idx INTEGER PRIMARY KEY, entry BLOB, leaf_hash BLOB, root_after BLOB) and
/// ledger_tree_heads(tree_size INTEGER PRIMARY KEY, root_hash BLOB, timestamp TEXT, key_id TEXT, signature BLOB).
/// </summary>
public static class LedgerDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS ledger_entries (
            idx INTEGER PRIMARY KEY,
            entry BLOB NOT NULL,
            leaf_hash BLOB NOT NULL,
            root_after BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger_tree_heads (
            tree_size INTEGER PRIMARY KEY,
            root_hash BLOB NOT NULL,
            timestamp TEXT NOT NULL,
            key_id TEXT NOT NULL,
            signature BLOB NOT NULL
        );
        """;

    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Opens a connection with the durability pragmas the ledger needs. Use it for <c>AppendInTransaction</c> too.</summary>
    public static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(ConnectionString(databasePath));
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        return connection;
    }

    public static void EnsureSchema(SqliteConnection connection) => Execute(connection, Schema);

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Rows with idx ≥ <paramref name="fromIndex"/>, in index order, streamed.</summary>
    public static IEnumerable<StoredEntry> ReadEntries(SqliteConnection connection, long fromIndex, SqliteTransaction? transaction = null, long toExclusive = long.MaxValue)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT idx, entry, leaf_hash, root_after FROM ledger_entries WHERE idx >= $from AND idx < $to ORDER BY idx";
        command.Parameters.AddWithValue("$from", fromIndex);
        command.Parameters.AddWithValue("$to", toExclusive);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredEntry(reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2], (byte[])reader[3]);
        }
    }

    public static List<Signing.SignedTreeHead> ReadTreeHeads(SqliteConnection connection, long fromSize = 0, long toSize = long.MaxValue, int limit = int.MaxValue)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, root_hash, timestamp, signature, key_id FROM ledger_tree_heads WHERE tree_size >= $from AND tree_size <= $to ORDER BY tree_size LIMIT $limit";
        command.Parameters.AddWithValue("$from", fromSize);
        command.Parameters.AddWithValue("$to", toSize);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var heads = new List<Signing.SignedTreeHead>();
        while (reader.Read())
        {
            heads.Add(new Signing.SignedTreeHead(reader.GetInt64(0), (byte[])reader[1], reader.GetString(2), (byte[])reader[3], reader.GetString(4)));
        }

        return heads;
    }

    public static Signing.SignedTreeHead? ReadLatestTreeHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size FROM ledger_tree_heads ORDER BY tree_size DESC LIMIT 1";
        var size = command.ExecuteScalar();
        return size is long s ? ReadTreeHeads(connection, s, s).SingleOrDefault() : null;
    }

    public static void InsertTreeHead(SqliteConnection connection, Signing.SignedTreeHead head)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO ledger_tree_heads(tree_size, root_hash, timestamp, key_id, signature) VALUES ($s, $r, $t, $k, $sig)";
        command.Parameters.AddWithValue("$s", head.TreeSize);
        command.Parameters.AddWithValue("$r", head.RootHash);
        command.Parameters.AddWithValue("$t", head.Timestamp);
        command.Parameters.AddWithValue("$k", head.KeyId);
        command.Parameters.AddWithValue("$sig", head.Signature);
        command.ExecuteNonQuery();
    }
}
