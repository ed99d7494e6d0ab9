using Microsoft.Extensions.Options;
using SealService.Coordination.Redis;
using SealService.Domain.Application;
using SealService.Domain.Ports;
using SealService.Storage.Postgres;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;

namespace SealService.Api.Hosting;

public static partial class RegistrySetup
{
    /// <summary>
    /// The storage adapter named by Storage:Provider (sqlite, the default, or postgres; opened once, at start, with its
    /// migrations) and the application services over it.
    /// </summary>
    public static IServiceCollection AddSealRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        switch (storage.Provider.Trim().ToLowerInvariant())
        {
            case StorageOptions.Sqlite:
                services.AddSealServiceSqlite(sp => DataDirectory.Resolve(sp.GetRequiredService<IOptions<SealServiceOptions>>().Value.DataDirectory));
                break;
            case StorageOptions.Postgres:
                if (string.IsNullOrWhiteSpace(storage.ConnectionString))
                    throw new InvalidOperationException("Storage:Provider is postgres but Storage:ConnectionString is empty");
                if (storage.NodeLeaseSeconds is < 1 or > 3600)
                    throw new InvalidOperationException("Storage:NodeLeaseSeconds must be between 1 and 3600");
                services.AddSealServicePostgres(storage);
                // Nodes share the data folder: another node's stamp in flight keeps its files; only an hour-old one is an orphan.
                services.PostConfigure<StampingHostOptions>(o => o.OrphanFileGrace = o.OrphanFileGrace == TimeSpan.Zero ? TimeSpan.FromHours(1) : o.OrphanFileGrace);
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{storage.Provider}' is unknown (sqlite or postgres)");
        }

        // Redis (optional): the nodes' change feed, so each keeps its decision views in memory (Redis:Configuration).
        if (configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            var maxAge = configuration.GetValue("Redis:ViewMaxAgeSeconds", 5.0);
            if (maxAge is <= 0 or > 3600)
                throw new InvalidOperationException("Redis:ViewMaxAgeSeconds must be more than 0 and at most 3600");
            services.AddSealServiceRedis(redis, TimeSpan.FromSeconds(maxAge));
        }

        services.AddSingleton<OrganisationService>();
        services.AddSingleton<AgreementService>();
        services.AddSingleton<SealRegistryService>();
        services.AddSingleton<TownshipListService>();
        services.AddSingleton<StampCheckService>();
        services.AddSingleton<CatalogueImporter>();
        return services;
    }

    /// <summary>Opens the store (migrations, WAL), loads the seed catalogues and, into an empty registry, the demo registry.</summary>
    public static async Task InitializeRegistryAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IRegistryStore>();
        var options = app.Services.GetRequiredService<IOptions<SealServiceOptions>>().Value;
        var clock = app.Services.GetRequiredService<TimeProvider>();
        // Catalogues are imported on every start (idempotent); the demo registry only into an empty registry.
        var seeded = await new RegistryBootstrap(store, clock).EnsureSeededAsync(options.SeedDemoRegistry, app.Lifetime.ApplicationStopping);
        LogReady(app.Logger, DataDirectory.Resolve(options.DataDirectory), seeded.Catalogues.Sum(c => c.Total), seeded.DemoEntitiesInserted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registry store ready in {Folder}: {Matters} catalogue matters, {DemoInserted} demo entities inserted")]
    private static partial void LogReady(ILogger logger, string folder, int matters, int demoInserted);
}
