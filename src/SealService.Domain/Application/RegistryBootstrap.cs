using SealService.Domain.Catalogue;
using SealService.Domain.Demo;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>First-start seeding: the embedded catalogues (always, idempotent) and the demo registry (only into an empty registry).</summary>
public sealed class RegistryBootstrap(IRegistryStore store, TimeProvider clock)
{
    public sealed record Result(IReadOnlyList<CatalogueImportResult> Catalogues, bool DemoSeeded, int DemoEntitiesInserted);

    /// <param name="demo">False to load only the catalogues (e.g. a production install).</param>
    public async Task<Result> EnsureSeededAsync(bool demo, CancellationToken ct)
    {
        var catalogues = await new CatalogueImporter(store).ImportSeedAsync(ct);
        if (!demo || !await IsRegistryEmptyAsync(ct))
        {
            return new Result(catalogues, false, 0);
        }

        var inserted = await store.SeedAsync(DemoRegistry.Build(clock.GetUtcNow()), ct);
        return new Result(catalogues, true, inserted);
    }

    /// <summary>Empty = no township, agreement or seal yet (catalogue rows alone do not count).</summary>
    public async Task<bool> IsRegistryEmptyAsync(CancellationToken ct)
    {
        var one = new PageRequest(0, 1);
        return (await store.Townships.ListAsync(RegistryFilter.None, one, ct)).Total == 0
            && (await store.Agreements.ListAsync(RegistryFilter.None, one, ct)).Total == 0
            && (await store.Seals.ListAsync(RegistryFilter.None, one, ct)).Total == 0;
    }
}
