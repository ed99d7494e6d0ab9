using SealService.Domain.Model;

namespace SealService.Domain.Ports;

/// <summary>A set of registry entities to insert if absent (the demo registry).</summary>
public sealed record RegistrySeed(
    IReadOnlyList<Region> Regions,
    IReadOnlyList<Department> Departments,
    IReadOnlyList<Township> Townships,
    IReadOnlyList<VillageStation> VillageStations,
    IReadOnlyList<DelegationAgreement> Agreements,
    IReadOnlyList<Seal> Seals);
