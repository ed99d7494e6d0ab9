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

    private PostgresRegistryStore(PostgresDatabase db)
        : base(db)
    {
        _db = db;
    }

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

        return new PostgresRegistryStore(new PostgresDatabase(source));
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

    public ValueTask DisposeAsync() => _db.Source.DisposeAsync();

    public void Dispose() => _db.Source.Dispose();
}

/// <summary>
/// The stamping store on PostgreSQL: each node reserves its own number blocks (the counter row serialises nodes), and a
/// node's restart voids only its own open blocks.
/// </summary>
public sealed class PostgresStampingStore(PostgresRegistryStore registry, string node, ISealUseJournal? journal = null, int numberBlockSize = RelationalStampingStore.DefaultNumberBlockSize)
    : RelationalStampingStore(registry, journal, numberBlockSize, node);
