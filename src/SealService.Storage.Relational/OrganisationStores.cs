using System.Data.Common;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

internal sealed class RegionStore(SqlDatabase db) : EntityStore<Region>(db, "regions", "region", ["id", "name", "city"])
{
    protected override string IdOf(Region e) => e.Id;

    protected override object?[] Values(Region e) => [e.Id, e.Name, e.City];

    protected override Region Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.Str(2));
}

internal sealed class DepartmentStore(SqlDatabase db) : EntityStore<Department>(db, "departments", "department", ["id", "region_id", "name"])
{
    protected override string IdOf(Department e) => e.Id;

    protected override object?[] Values(Department e) => [e.Id, e.RegionId, e.Name];

    protected override Department Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        base.Filter(f, where, ps);
        if (f.RegionId is not null)
        {
            where.Add("region_id = @region");
            ps.Add(("@region", f.RegionId));
        }
    }
}

internal sealed class TownshipStore(SqlDatabase db) : EntityStore<Township>(db, "townships", "township", ["id", "region_id", "name", "kind"])
{
    protected override string IdOf(Township e) => e.Id;

    protected override object?[] Values(Township e) => [e.Id, e.RegionId, e.Name, Wire.Name(e.Kind)];

    protected override Township Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Sql.Enum<TownshipKind>(r.GetString(3)));

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        base.Filter(f, where, ps);
        if (f.RegionId is not null)
        {
            where.Add("region_id = @region");
            ps.Add(("@region", f.RegionId));
        }

        if (f.DepartmentId is not null)
        {
            // Townships that hold an agreement with the department.
            where.Add("id IN (SELECT township_id FROM agreements WHERE department_id = @dept)");
            ps.Add(("@dept", f.DepartmentId));
        }
    }
}

internal sealed class VillageStationStore(SqlDatabase db) : EntityStore<VillageStation>(db, "village_stations", "village station", ["id", "township_id", "name"])
{
    protected override string IdOf(VillageStation e) => e.Id;

    protected override object?[] Values(VillageStation e) => [e.Id, e.TownshipId, e.Name];

    protected override VillageStation Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        base.Filter(f, where, ps);
        if (f.TownshipId is not null)
        {
            where.Add("township_id = @twp");
            ps.Add(("@twp", f.TownshipId));
        }

        if (f.RegionId is not null)
        {
            where.Add("township_id IN (SELECT id FROM townships WHERE region_id = @region)");
            ps.Add(("@region", f.RegionId));
        }
    }
}
