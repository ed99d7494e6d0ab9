using Microsoft.Extensions.Options;
using SealService.Domain.Application;
using SealService.Domain.Ports;
using SealService.Storage.Sqlite;

namespace SealService.Api.Hosting;

public static partial class RegistrySetup
{
    /// <summary>The SQLite registry store (opened once, at start) and the application services over it.</summary>
    public static IServiceCollection AddSealRegistry(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IRegistryStore>(sp =>
        {
            var folder = DataDirectory.Resolve(sp.GetRequiredService<IOptions<SealServiceOptions>>().Value.DataDirectory);
            // Opening applies migrations and WAL; done once while the host starts (see InitializeRegistryAsync).
            return SqliteRegistryStore.OpenAsync(folder, CancellationToken.None).GetAwaiter().GetResult();
        });
        services.AddSingleton(sp => (IStoreHealthProbe)sp.GetRequiredService<IRegistryStore>());
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
