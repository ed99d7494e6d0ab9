using Npgsql;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

/// <summary>
/// The registry and the stamps in one PostgreSQL database shared by every node. Open with <see cref="OpenAsync"/>: it
/// applies pending migrations. Thread-safe: every call takes its own pooled connection.
/// </summary>
public sealed class PostgresRegistryStore : RelationalRegistryStore, IAsyncDisposable, IDisposable
{
    private readonly PostgresDatabase _db;

    private PostgresRegistryStore(PostgresDatabase db, string connectionString)
        : base(db)
    {
        _db = db;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string it was opened with (for the connections that must not come from the pool).</summary>
    internal string ConnectionString { get; }

    /// <summary>Connects with <paramref name="connectionString"/> (Npgsql syntax) and applies pending migrations.</summary>
    public static async Task<PostgresRegistryStore> OpenAsync(string connectionString, CancellationToken ct)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            await PostgresMigrations.ApplyAsync(source, ct);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }

        return new PostgresRegistryStore(new PostgresDatabase(source), connectionString);
    }

    /// <summary>A standby (recovery) or an unreachable server takes no write.</summary>
    public override async Task<string?> WriteProblemAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await using var c = await _db.Source.OpenConnectionAsync(limit.Token);
            await using var cmd = new NpgsqlCommand("SELECT pg_is_in_recovery()", c);
            return (bool)(await cmd.ExecuteScalarAsync(limit.Token))! ? "the PostgreSQL server is a read-only standby" : null;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return $"the PostgreSQL server takes no write: {e.Message}";
        }
    }

    public override async Task<int> SchemaVersionAsync(CancellationToken ct)
    {
        await using var c = await _db.Source.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", c);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    internal NpgsqlDataSource Source => _db.Source;

    public ValueTask DisposeAsync() => _db.Source.DisposeAsync();

    public void Dispose() => _db.Source.Dispose();
}

/// <summary>
/// The stamping store on PostgreSQL. Each node reserves its own number blocks (the counter row serialises nodes) under a
/// name unique to its process; when a node is gone (its heartbeat older than its lease) any live node closes its blocks,
/// so their unused numbers are void and never reused. Idempotency keys are held across nodes while stamped.
/// </summary>
public sealed class PostgresStampingStore : RelationalStampingStore
{
    private readonly PostgresNodeLease _lease;

    public PostgresStampingStore(
        PostgresRegistryStore registry, string node, TimeSpan lease, ISealUseJournal? journal = null, int numberBlockSize = DefaultNumberBlockSize)
        : base(registry, journal, numberBlockSize, node)
    {
        _lease = new PostgresNodeLease(registry.Source, registry.ConnectionString, node, lease, ForgetNumberBlocks);
    }

    /// <summary>This process's name among the nodes (owner of its number blocks and idempotency holds).</summary>
    public string Node => _lease.Node;

    /// <summary>Joins the nodes: sweeps the blocks of nodes that are gone, then beats. Returns the numbers voided.</summary>
    public override async Task<int> VoidInterruptedAsync(CancellationToken ct) => await base.VoidInterruptedAsync(ct) + await _lease.JoinAsync(ct);

    /// <summary>Sweeps now (the heartbeat does it every fifth of a lease). Returns the numbers voided.</summary>
    public Task<int> SweepGoneNodesAsync(CancellationToken ct) => _lease.SweepAsync(ct);

    public override Task<IAsyncDisposable> HoldIdempotencyKeyAsync(string idempotencyKey, CancellationToken ct) => _lease.HoldAsync(idempotencyKey, ct);

    public override async ValueTask DisposeAsync()
    {
        await _lease.DisposeAsync();
        await base.DisposeAsync();
    }

    public override void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
