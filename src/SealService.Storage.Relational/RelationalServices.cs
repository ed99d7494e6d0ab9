using Microsoft.Extensions.DependencyInjection;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>The ports every SQL adapter serves once it has registered its <see cref="RelationalRegistryStore"/>.</summary>
public static class RelationalServices
{
    /// <summary>
    /// Registers the registry, stamping store, outbox and audit queries over the adapter's store; the stamping store is
    /// built by <paramref name="stampingStore"/> from the host's <see cref="StampingStoreSettings"/> (defaults if none).
    /// </summary>
    public static IServiceCollection AddRelationalPorts(
        this IServiceCollection services, Func<IServiceProvider, RelationalRegistryStore, StampingStoreSettings, RelationalStampingStore> stampingStore)
    {
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<RelationalRegistryStore>());
        services.AddSingleton(sp => (IStoreHealthProbe)sp.GetRequiredService<RelationalRegistryStore>());
        services.AddSingleton(sp => stampingStore(sp, sp.GetRequiredService<RelationalRegistryStore>(), sp.GetService<StampingStoreSettings>() ?? new StampingStoreSettings()));
        services.AddSingleton<IStampingStore>(sp => sp.GetRequiredService<RelationalStampingStore>());
        services.AddSingleton<ISupervisionOutbox>(sp => new RelationalSupervisionOutbox(sp.GetRequiredService<RelationalRegistryStore>()));
        services.AddSingleton(sp => new RelationalAuditQueries(sp.GetRequiredService<RelationalRegistryStore>()));
        return services;
    }
}
