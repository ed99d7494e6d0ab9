using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>Regions, departments, townships, village stations and matters: validated writes, NOT_FOUND reads.</summary>
public sealed class OrganisationService(IRegistryStore store)
{
    public async Task<Region> GetRegionAsync(string id, CancellationToken ct) =>
        await store.Regions.GetAsync(id, ct) ?? throw DomainException.NotFound("region", id);

    public async Task<Department> GetDepartmentAsync(string id, CancellationToken ct) =>
        await store.Departments.GetAsync(id, ct) ?? throw DomainException.NotFound("department", id);

    public async Task<Township> GetTownshipAsync(string id, CancellationToken ct) =>
        await store.Townships.GetAsync(id, ct) ?? throw DomainException.NotFound("township", id);

    public async Task<VillageStation> GetVillageStationAsync(string id, CancellationToken ct) =>
        await store.VillageStations.GetAsync(id, ct) ?? throw DomainException.NotFound("village station", id);

    public async Task<Matter> GetMatterAsync(string id, CancellationToken ct) =>
        await store.Matters.GetAsync(id, ct) ?? throw DomainException.NotFound("matter", id);

    public async Task<Region> SaveRegionAsync(Caller caller, Region region, bool create, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        region = create && string.IsNullOrEmpty(region.Id) ? region with { Id = Ids.New("reg") } : region;
        var v = new Validator().Id("id", region.Id).Required("name", region.Name, Limits.Name).MaxLength("city", region.City, Limits.Name);
        v.ThrowIfAny();
        await Write(store.Regions, region, create, ct);
        return region;
    }

    public async Task<Department> SaveDepartmentAsync(Caller caller, Department department, bool create, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        department = create && string.IsNullOrEmpty(department.Id) ? department with { Id = Ids.New("dept") } : department;
        var v = new Validator().Id("id", department.Id).Required("name", department.Name, Limits.Name).Id("regionId", department.RegionId);
        v.ThrowIfAny();
        await RequireExists(store.Regions, "regionId", department.RegionId, ct);
        await Write(store.Departments, department, create, ct);
        return department;
    }

    public async Task<Township> SaveTownshipAsync(Caller caller, Township township, bool create, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        township = create && string.IsNullOrEmpty(township.Id) ? township with { Id = Ids.New("twp") } : township;
        var v = new Validator().Id("id", township.Id).Required("name", township.Name, Limits.Name).Id("regionId", township.RegionId);
        if (!Enum.IsDefined(township.Kind))
        {
            v.Add("kind", "未知类型 (unknown kind)");
        }

        v.ThrowIfAny();
        await RequireExists(store.Regions, "regionId", township.RegionId, ct);
        await Write(store.Townships, township, create, ct);
        return township;
    }

    public async Task<VillageStation> SaveVillageStationAsync(Caller caller, VillageStation station, bool create, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        station = create && string.IsNullOrEmpty(station.Id) ? station with { Id = Ids.New("vil") } : station;
        var v = new Validator().Id("id", station.Id).Required("name", station.Name, Limits.Name).Id("townshipId", station.TownshipId);
        v.ThrowIfAny();
        await RequireExists(store.Townships, "townshipId", station.TownshipId, ct);
        await Write(store.VillageStations, station, create, ct);
        return station;
    }

    public async Task<Matter> SaveMatterAsync(Caller caller, Matter matter, bool create, CancellationToken ct)
    {
        Access.RequireAdmin(caller);
        matter = create && string.IsNullOrEmpty(matter.Id) ? matter with { Id = Ids.New("mat") } : matter;
        var v = new Validator()
            .Id("id", matter.Id)
            .Required("name", matter.Name, Limits.Name)
            .Id("regionId", matter.RegionId)
            .Id("departmentId", matter.DepartmentId)
            .MaxLength("code", matter.Code, Limits.Code)
            .MaxLength("powerTypeText", matter.PowerTypeText, Limits.Name)
            .MaxLength("handling", matter.Handling, Limits.Name)
            .MaxLength("remark", matter.Remark, Limits.Text);
        if (matter.SupervisingDepartmentId is not null)
        {
            v.Id("supervisingDepartmentId", matter.SupervisingDepartmentId);
        }

        // Numeric JSON can smuggle undefined enum values past the converter; refuse them here.
        if (!Enum.IsDefined(matter.PowerType) || matter.SecondaryPowerType is { } second && !Enum.IsDefined(second))
        {
            v.Add("powerType", "未知权力类型 (unknown power type)");
        }

        if (!Enum.IsDefined(matter.Level))
        {
            v.Add("level", "未知层级 (unknown level)");
        }

        if (matter.CatalogueMode is { } mode && !Enum.IsDefined(mode))
        {
            v.Add("catalogueMode", "未知方式 (unknown mode)");
        }

        if (matter.CatalogueSteps is null || matter.CatalogueSteps.Any(s => !Enum.IsDefined(s)) || matter.CatalogueSteps.Count > 6)
        {
            v.Add("catalogueSteps", "未知环节 (unknown step)");
        }

        v.ThrowIfAny();
        if (string.IsNullOrWhiteSpace(matter.PowerTypeText))
        {
            matter = matter with { PowerTypeText = PowerTypes.Label(matter.PowerType) };
        }

        await RequireExists(store.Regions, "regionId", matter.RegionId, ct);
        var owner = await RequireExists(store.Departments, "departmentId", matter.DepartmentId, ct);
        if (owner.RegionId != matter.RegionId)
        {
            new Validator().Add("departmentId", "部门不属于该县区 (department is in another region)").ThrowIfAny();
        }

        if (matter.SupervisingDepartmentId is not null)
        {
            await RequireExists(store.Departments, "supervisingDepartmentId", matter.SupervisingDepartmentId, ct);
        }

        await Write(store.Matters, matter, create, ct);
        return matter;
    }

    /// <summary>Deletes base data; CONFLICT while anything still refers to it.</summary>
    public Task DeleteRegionAsync(Caller caller, string id, CancellationToken ct) => Delete(caller, store.Regions, id, ct);

    public Task DeleteDepartmentAsync(Caller caller, string id, CancellationToken ct) => Delete(caller, store.Departments, id, ct);

    public Task DeleteTownshipAsync(Caller caller, string id, CancellationToken ct) => Delete(caller, store.Townships, id, ct);

    public Task DeleteVillageStationAsync(Caller caller, string id, CancellationToken ct) => Delete(caller, store.VillageStations, id, ct);

    public Task DeleteMatterAsync(Caller caller, string id, CancellationToken ct) => Delete(caller, store.Matters, id, ct);

    internal static async Task<T> RequireExists<T>(IEntityStore<T> entities, string field, string id, CancellationToken ct)
        where T : class
    {
        var found = await entities.GetAsync(id, ct);
        if (found is null)
        {
            new Validator().Add(field, $"{id} 不存在 (does not exist)").ThrowIfAny();
        }

        return found!;
    }

    private static Task Delete<T>(Caller caller, IEntityStore<T> entities, string id, CancellationToken ct)
        where T : class
    {
        Access.RequireAdmin(caller);
        return entities.DeleteAsync(id, ct);
    }

    private static Task Write<T>(IEntityStore<T> entities, T entity, bool create, CancellationToken ct)
        where T : class => create ? entities.AddAsync(entity, ct) : entities.UpdateAsync(entity, ct);
}
