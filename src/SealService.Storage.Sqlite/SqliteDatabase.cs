using System.Data.Common;
using Microsoft.Data.Sqlite;
using SealService.Storage.Relational;

namespace SealService.Storage.Sqlite;

/// <summary>One registry file: pooled connections with foreign keys on, fsync at every commit; SQLite's dialect.</summary>
internal sealed class SqliteDatabase(string path) : SqlDatabase
{
    private const int SqliteConstraint = 19;
    private const int ConstraintForeignKey = 787;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Path => path;

    public override string? FilePath => path;

    public override string Engine => "sqlite";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await OpenSqliteAsync(ct);

    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken ct)
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

    // BEGIN DEFERRED: a read transaction is one snapshot in WAL mode and takes no lock.
    public override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // BEGIN IMMEDIATE: takes the write lock at once, so writers queue instead of failing to upgrade.
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override bool IsConstraint(DbException e, out bool foreignKey)
    {
        foreignKey = e is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey };
        return e is SqliteException { SqliteErrorCode: SqliteConstraint };
    }

    // SQLite names the table in the message ("UNIQUE constraint failed: idempotency_keys.key").
    public override bool IsConstraintOn(DbException e, string table) =>
        IsConstraint(e, out _) && e.Message.Contains(table + ".", StringComparison.Ordinal);
}
