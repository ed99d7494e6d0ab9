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
        services.AddSingleton<OrganisationService>();
        services.AddSingleton<AgreementService>();
        services.AddSingleton<SealRegistryService>();
        services.AddSingleton<TownshipListService>();
        services.AddSingleton<StampCheckService>();
        services.AddSingleton<CatalogueImporter>();
        return services;
    }

    /// <summary>Opens the store and, when it is empty, loads the seed catalogues and the demo registry.</summary>
    public static async Task InitializeRegistryAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IRegistryStore>();
        var options = app.Services.GetRequiredService<IOptions<SealServiceOptions>>().Value;
        if (options.SeedDemoRegistry)
        {
            var clock = app.Services.GetRequiredService<TimeProvider>();
            await new RegistryBootstrap(store, clock).EnsureSeededAsync(app.Lifetime.ApplicationStopping);
        }
        LogReady(app.Logger, DataDirectory.Resolve(options.DataDirectory));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registry store ready in {Folder}")]
    private static partial void LogReady(ILogger logger, string folder);
}
