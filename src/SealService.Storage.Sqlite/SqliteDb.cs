using Microsoft.Data.Sqlite;

namespace SealService.Storage.Sqlite;

/// <summary>Opens pooled connections to one registry file with foreign keys on.</summary>
internal sealed class SqliteDb(string path)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Path => path;

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // WAL fsynced at every commit: a stamp answered 201 (and its ledger entry) survives any crash. Per connection.
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=FULL";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        return connection;
    }
}
