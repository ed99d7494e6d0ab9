using Microsoft.Extensions.DependencyInjection;
using SealService.Storage.Relational;

namespace SealService.Storage.Postgres;

public static class PostgresServices
{
    /// <summary>
    /// The PostgreSQL adapter: the database <paramref name="connectionString"/> names (migrated when first resolved),
    /// serving every storage port; <paramref name="node"/> is this node's stable name among those sharing it.
    /// </summary>
    public static IServiceCollection AddSealServicePostgres(this IServiceCollection services, string connectionString, string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        services.AddSingleton<RelationalRegistryStore>(_ =>
            PostgresRegistryStore.OpenAsync(connectionString, CancellationToken.None).GetAwaiter().GetResult());
        return services.AddRelationalPorts((_, store, settings) =>
            new PostgresStampingStore((PostgresRegistryStore)store, node, settings.Journal, settings.NumberBlockSize));
    }
}
