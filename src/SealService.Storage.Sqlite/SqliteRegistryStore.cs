using Microsoft.Data.Sqlite;
using SealService.Storage.Relational;

namespace SealService.Storage.Sqlite;

/// <summary>
/// The registry in one SQLite file (WAL). Open with <see cref="OpenAsync"/>: it creates the file and applies pending
/// migrations. Thread-safe: every call uses its own pooled connection.
/// </summary>
public sealed class SqliteRegistryStore : RelationalRegistryStore
{
    private readonly SqliteDatabase _db;

    private SqliteRegistryStore(SqliteDatabase db)
        : base(db)
    {
        _db = db;
    }

    internal SqliteDatabase Db => _db;

    /// <summary>Path of the database file.</summary>
    public string FilePath => _db.Path;

    /// <summary>Opens (creating if needed) <c>registry.db</c> in <paramref name="dataDirectory"/>; see <see cref="DataDirectory.Resolve"/>.</summary>
    public static Task<SqliteRegistryStore> OpenAsync(string dataDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDirectory);
        return OpenFileAsync(DataDirectory.RegistryPath(dataDirectory), ct);
    }

    /// <summary>Opens a database file: WAL journal, foreign keys, pending migrations applied.</summary>
    public static async Task<SqliteRegistryStore> OpenFileAsync(string path, CancellationToken ct)
    {
        var db = new SqliteDatabase(path);
        await using (var c = await db.OpenSqliteAsync(ct))
        {
            await using (var wal = c.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                await wal.ExecuteNonQueryAsync(ct);
            }

            await Migrations.ApplyAsync(c, ct);
        }

        return new SqliteRegistryStore(db);
    }

    /// <summary>Takes the write lock (BEGIN IMMEDIATE) and rolls back: the same lock every stamp's commit needs.</summary>
    public override async Task<string?> WriteProblemAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await using var c = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = _db.Path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            }.ToString());
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            await cmd.ExecuteNonQueryAsync(ct);
            return null;
        }
        catch (SqliteException e)
        {
            return $"the registry database takes no write: {e.Message}";
        }
    }

    public override async Task<int> SchemaVersionAsync(CancellationToken ct)
    {
        await using var c = await _db.OpenSqliteAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
