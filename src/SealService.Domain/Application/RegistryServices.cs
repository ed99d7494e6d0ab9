using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>All registry application services over one store and clock; register this one object in DI.</summary>
public sealed class RegistryServices(IRegistryStore store, TimeProvider clock)
{
    public IRegistryStore Store { get; } = store;

    public OrganisationService Organisation { get; } = new(store);

    public AgreementService Agreements { get; } = new(store, clock);

    public SealRegistryService Seals { get; } = new(store, clock);

    public StampCheckService Stamps { get; } = new(store, clock);

    public TownshipListService TownshipLists { get; } = new(store, clock);

    public CatalogueImporter Catalogues { get; } = new(store);

    public RegistryBootstrap Bootstrap { get; } = new(store, clock);
}
