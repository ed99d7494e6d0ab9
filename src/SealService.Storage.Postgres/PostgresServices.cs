using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SealService.Ledger.Storage;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

public static class PostgresServices
{
    /// <summary>Queued ledger entries integrated per sequencer transaction.</summary>
    private const int LedgerBatch = 512;

    /// <summary>
    /// The PostgreSQL adapter: the database <paramref name="connectionString"/> names (migrated when first resolved),
    /// serving every storage port, as one of the nodes that share it (see <see cref="StorageOptions"/>), and the ledger's
    /// storage (<see cref="ILedgerStorage"/>: a queue in the stamps' transactions, integrated by one node's sequencer).
    /// </summary>
    public static IServiceCollection AddSealServicePostgres(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ConnectionString;
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var node = options.ProcessNodeName();
        var lease = TimeSpan.FromSeconds(options.NodeLeaseSeconds);
        services.AddSingleton<RelationalRegistryStore>(_ =>
            PostgresRegistryStore.OpenAsync(connectionString, CancellationToken.None).GetAwaiter().GetResult());
        // The sequencer holds its advisory lock on a connection of its own: a pooled one would keep the lock in the pool.
        // Its application name says which node sequences (pg_stat_activity, docs/operations).
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "sealservice-sequencer " + node }.ConnectionString;
        services.AddSingleton(sp => new PostgresLedgerStorage(
            ((PostgresRegistryStore)sp.GetRequiredService<RelationalRegistryStore>()).Source, unpooled, LedgerBatch));
        services.AddSingleton<ILedgerStorage>(sp => sp.GetRequiredService<PostgresLedgerStorage>());
        return services.AddRelationalPorts((sp, store, settings) => new PostgresStampingStore(
            (PostgresRegistryStore)store, node, lease,
            settings.Journal is { } journal ? new PostgresLedgerQueue(journal, sp.GetRequiredService<PostgresLedgerStorage>()) : null,
            settings.NumberBlockSize));
    }
}
