using Microsoft.Extensions.DependencyInjection;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

public static class PostgresServices
{
    /// <summary>
    /// The PostgreSQL adapter: the database <paramref name="connectionString"/> names (migrated when first resolved),
    /// serving every storage port, as one of the nodes that share it (see <see cref="StorageOptions"/>).
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
        return services.AddRelationalPorts((_, store, settings) =>
            new PostgresStampingStore((PostgresRegistryStore)store, node, lease, settings.Journal, settings.NumberBlockSize));
    }
}
