using System.Data;
using System.Data.Common;
using Npgsql;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

/// <summary>Pooled connections from one <see cref="NpgsqlDataSource"/>; PostgreSQL's dialect.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource source) : SqlDatabase
{
    private const string ForeignKeyViolation = "23503";

    public NpgsqlDataSource Source => source;

    public override string Engine => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await source.OpenConnectionAsync(ct);

    // REPEATABLE READ: one snapshot for the whole read (a count and its page agree).
    public override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    // READ COMMITTED: rows a commit depends on are locked explicitly (ShareLock), counters by their own upsert.
    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    // A transaction-level advisory lock, keyed by the name's hash: released by the commit or rollback.
    public override async Task SerializeAsync(DbConnection connection, DbTransaction tx, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@n, 0))", (NpgsqlConnection)connection, (NpgsqlTransaction)tx);
        cmd.Parameters.AddWithValue("n", "sealservice:" + name);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override string ShareLock => " FOR SHARE";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override bool IsConstraint(DbException e, out bool foreignKey)
    {
        var state = (e as PostgresException)?.SqlState;
        foreignKey = state == ForeignKeyViolation;
        return state is not null && state.StartsWith("23", StringComparison.Ordinal); // class 23: integrity constraint violation
    }

    public override bool IsConstraintOn(DbException e, string table) =>
        IsConstraint(e, out _) && ((PostgresException)e).TableName == table;

    // Any statement error rolls back to the write's savepoint; a lost connection, a shutting-down or failing server
    // (classes 08, 53, 57, 58, XX) fails the batch.
    public override bool IsOwnFailure(Exception e) =>
        e is not DbException || (e is PostgresException p && p.SqlState[..2] is not ("08" or "53" or "57" or "58" or "XX"));
}
