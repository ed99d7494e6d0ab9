using System.Data.Common;

namespace SealService.Storage.Relational;

/// <summary>
/// What the shared stores need from one SQL engine: connections, the two kinds of transaction, the few phrases that
/// differ between dialects, and how the engine reports a constraint failure.
/// </summary>
public abstract class SqlDatabase
{
    /// <summary>A short name for messages ("sqlite", "postgres").</summary>
    public abstract string Engine { get; }

    /// <summary>The file an embedded engine keeps everything in (the SQLite ledger shares it); null for a server.</summary>
    public virtual string? FilePath => null;

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>A read-only transaction that sees one consistent snapshot (a count and its page agree).</summary>
    public abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct);

    /// <summary>A write transaction (SQLite takes the write lock at once; PostgreSQL locks rows as it goes).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Within a write transaction: waits until no other transaction holds <paramref name="name"/>, and holds it until this
    /// one ends. Nodes starting together import the catalogues and seed the demo registry one after the other, not both
    /// (a read-then-insert would fail on the second). SQLite's write lock already serialises every writer.
    /// </summary>
    public virtual Task SerializeAsync(DbConnection connection, DbTransaction tx, string name, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A condition true when <paramref name="column"/> contains the text parameter <paramref name="parameter"/>.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>Appended to a SELECT of head rows a commit depends on, so a concurrent change waits for the commit.</summary>
    public virtual string ShareLock => "";

    /// <summary>Appended to the SELECT of due outbox rows so two nodes never claim the same row.</summary>
    public virtual string SkipLocked => "";

    /// <summary>The failure is a constraint violation (unique, foreign key, check); <paramref name="foreignKey"/> tells which.</summary>
    public abstract bool IsConstraint(DbException e, out bool foreignKey);

    /// <summary>The constraint that failed belongs to <paramref name="table"/>.</summary>
    public abstract bool IsConstraintOn(DbException e, string table);

    /// <summary>
    /// The failure belongs to one write of a group commit (rolled back to its savepoint, the batch goes on); anything
    /// else (I/O, a lost connection) fails the whole batch.
    /// </summary>
    public virtual bool IsOwnFailure(Exception e) => e is not DbException db || IsConstraint(db, out _);
}
