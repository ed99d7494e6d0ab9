using SealService.Domain.Catalogue;
using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Ports;

/// <summary>
/// Plain entities (regions, departments, townships, village stations, matters): last write wins.
/// AddAsync throws CONFLICT if the id exists; UpdateAsync and DeleteAsync throw NOT_FOUND if it does not.
/// Agreements and seals are never deleted: revoke or retire them.
/// </summary>
public interface IEntityStore<T>
    where T : class
{
    Task<T?> GetAsync(string id, CancellationToken ct);

    Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct);

    /// <summary>The entities with these ids (missing ids are skipped), in no particular order.</summary>
    Task<IReadOnlyList<T>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct);

    Task AddAsync(T entity, CancellationToken ct);

    Task UpdateAsync(T entity, CancellationToken ct);

    /// <summary>NOT_FOUND if absent; CONFLICT if still referenced (e.g. a department that owns matters).</summary>
    Task DeleteAsync(string id, CancellationToken ct);
}

/// <summary>
/// Versioned entities (agreements, seals). Nothing is overwritten: <see cref="AppendAsync"/> stores a new
/// version. Version 1 creates (CONFLICT if the id exists); version n requires the stored latest to be n-1
/// (CONFLICT otherwise: optimistic concurrency).
/// </summary>
public interface IVersionedStore<T>
    where T : class
{
    /// <summary>Latest version.</summary>
    Task<T?> GetAsync(string id, CancellationToken ct);

    /// <summary>The version in force at <paramref name="at"/> (latest recorded at or before it); null if it did not exist yet.</summary>
    Task<T?> GetAsOfAsync(string id, DateTimeOffset at, CancellationToken ct);

    /// <summary>All versions, oldest first.</summary>
    Task<IReadOnlyList<T>> GetHistoryAsync(string id, CancellationToken ct);

    /// <summary>Latest versions matching the filter.</summary>
    Task<Page<T>> ListAsync(RegistryFilter filter, PageRequest page, CancellationToken ct);

    Task AppendAsync(T version, CancellationToken ct);
}

public interface IAgreementStore : IVersionedStore<DelegationAgreement>
{
    /// <summary>Every agreement of the township, each as the version in force at <paramref name="at"/>.</summary>
    Task<IReadOnlyList<DelegationAgreement>> ListForTownshipAsOfAsync(string townshipId, DateTimeOffset at, CancellationToken ct);
}

/// <summary>
/// The registry persistence port. One implementation per database (SQLite now; PostgreSQL can follow).
/// </summary>
public interface IRegistryStore
{
    IEntityStore<Region> Regions { get; }

    IEntityStore<Department> Departments { get; }

    IEntityStore<Township> Townships { get; }

    /// <summary>Filter TownshipId applies.</summary>
    IEntityStore<VillageStation> VillageStations { get; }

    /// <summary>Filters RegionId, DepartmentId (owning), Name.</summary>
    IEntityStore<Matter> Matters { get; }

    /// <summary>Filters RegionId (via township), DepartmentId, TownshipId, Name (title), Status.</summary>
    IAgreementStore Agreements { get; }

    /// <summary>Filters RegionId, DepartmentId (acting body), TownshipId (holder or acting body), Name (text), Status.</summary>
    IVersionedStore<Seal> Seals { get; }

    /// <summary>
    /// What the policy needs for one stamp at instant <paramref name="at"/>: the seal version then in force, the matter,
    /// and the agreements (versions in force then) of the seal's holding township that list the matter.
    /// </summary>
    Task<RegistrySnapshot> LoadStampViewAsync(string sealId, string matterId, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// Writes one parsed catalogue file in ONE transaction: region and departments if missing, matters upserted by
    /// natural key (file, seq). Re-importing the same file changes nothing.
    /// </summary>
    Task<CatalogueImportResult> ImportCatalogueAsync(CatalogueBatch batch, CancellationToken ct);

    /// <summary>Inserts every entity of the seed whose id is not yet stored, in one transaction.</summary>
    Task<int> SeedAsync(RegistrySeed seed, CancellationToken ct);
}
