using Microsoft.Extensions.DependencyInjection;
using SealService.Ledger.Storage;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

public static class PostgresServices
{
    /// <summary>Queued ledger entries integrated per sequencer transaction.</summary>
    internal const int LedgerBatch = 512;

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
        services.AddSingleton(sp => PostgresLedgerStorage.For((PostgresRegistryStore)sp.GetRequiredService<RelationalRegistryStore>(), node));
        services.AddSingleton<ILedgerStorage>(sp => sp.GetRequiredService<PostgresLedgerStorage>());
        return services.AddRelationalPorts((sp, store, settings) => new PostgresStampingStore(
            (PostgresRegistryStore)store, node, lease,
            settings.Journal is { } journal ? new PostgresLedgerQueue(journal, sp.GetRequiredService<PostgresLedgerStorage>()) : null,
            settings.NumberBlockSize));
    }
}
