using Microsoft.Extensions.DependencyInjection;
using SealService.Domain.Ports;

namespace SealService.Coordination.Redis;

public static class RedisServices
{
    /// <summary>
    /// Redis as the nodes' change feed: the registry store registered before this call is wrapped so that this node keeps
    /// its stamp-decision views in memory and drops them on every change any node announces (see
    /// <see cref="CachingRegistryStore"/>). <paramref name="configuration"/> is StackExchange.Redis syntax.
    /// </summary>
    public static IServiceCollection AddSealServiceRedis(this IServiceCollection services, string configuration, TimeSpan maxAge)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IRegistryStore))
            ?? throw new InvalidOperationException("register a storage adapter before Redis");
        services.Remove(store);
        services.AddSingleton(_ => RegistryChangeFeed.ConnectAsync(configuration).GetAwaiter().GetResult()); // once, at start
        services.AddSingleton(sp => new CachingRegistryStore(
            (IRegistryStore)(store.ImplementationInstance ?? store.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!)),
            sp.GetRequiredService<RegistryChangeFeed>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, maxAge));
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<CachingRegistryStore>());
        return services;
    }
}
