using Microsoft.Extensions.DependencyInjection;
using SealService.Storage.Relational;

namespace SealService.Storage.Sqlite;

public static class SqliteServices
{
    /// <summary>
    /// The embedded adapter: <c>registry.db</c> in the data folder <paramref name="dataDirectory"/> gives (opened once, with
    /// its migrations, when first resolved), serving every storage port.
    /// </summary>
    public static IServiceCollection AddSealServiceSqlite(this IServiceCollection services, Func<IServiceProvider, string> dataDirectory)
    {
        services.AddSingleton<RelationalRegistryStore>(sp =>
            SqliteRegistryStore.OpenAsync(dataDirectory(sp), CancellationToken.None).GetAwaiter().GetResult());
        return services.AddRelationalPorts((_, store, settings) =>
            new SqliteStampingStore((SqliteRegistryStore)store, settings.Journal, settings.NumberBlockSize));
    }
}
