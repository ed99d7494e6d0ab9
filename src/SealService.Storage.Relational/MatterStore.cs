using System.Data.Common;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

internal sealed class MatterStore(SqlDatabase db) : EntityStore<Matter>(db, "matters", "matter", Columns)
{
    public static readonly string[] Columns =
    [
        "id", "region_id", "department_id", "supervising_department_id", "name", "code", "power_type", "secondary_power_type",
        "power_type_text", "level", "catalogue_mode", "catalogue_steps", "handling", "remark", "source_file", "source_seq", "source_line",
    ];

    public static object?[] Row(Matter e) =>
    [
        e.Id, e.RegionId, e.DepartmentId, e.SupervisingDepartmentId, e.Name, e.Code, Wire.Name(e.PowerType),
        e.SecondaryPowerType is { } s ? Wire.Name(s) : null, e.PowerTypeText, Wire.Name(e.Level),
        e.CatalogueMode is { } m ? Wire.Name(m) : null, Sql.Steps(e.CatalogueSteps), e.Handling, e.Remark,
        e.Source?.File, e.Source?.Seq, e.Source?.Line,
    ];

    public static Matter ReadRow(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        RegionId = r.GetString(1),
        DepartmentId = r.GetString(2),
        SupervisingDepartmentId = r.Str(3),
        Name = r.GetString(4),
        Code = r.Str(5),
        PowerType = Sql.Enum<PowerType>(r.GetString(6)),
        SecondaryPowerType = r.Str(7) is { } s ? Sql.Enum<PowerType>(s) : null,
        PowerTypeText = r.GetString(8),
        Level = Sql.Enum<MatterLevel>(r.GetString(9)),
        CatalogueMode = r.Str(10) is { } m ? Sql.Enum<DelegationMode>(m) : null,
        CatalogueSteps = Sql.ParseSteps(r.GetString(11)),
        Handling = r.Str(12),
        Remark = r.Str(13),
        Source = r.IsDBNull(14) ? null : new CatalogueSource(r.GetString(14), r.GetInt32(15), r.GetInt32(16)),
    };

    protected override string IdOf(Matter e) => e.Id;

    protected override object?[] Values(Matter e) => Row(e);

    protected override Matter Read(DbDataReader r) => ReadRow(r);

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        if (!string.IsNullOrEmpty(f.Name))
        {
            where.Add($"({Db.Contains("name", "@name")} OR code = @name)");
            ps.Add(("@name", f.Name));
        }

        if (f.RegionId is not null)
        {
            where.Add("region_id = @region");
            ps.Add(("@region", f.RegionId));
        }

        if (f.DepartmentId is not null)
        {
            where.Add("department_id = @dept");
            ps.Add(("@dept", f.DepartmentId));
        }

        if (f.TownshipId is not null)
        {
            // Matters listed in the township's agreements (latest versions, any status).
            where.Add("""
                id IN (SELECT am.matter_id FROM agreement_matters am
                       JOIN agreements a ON a.id = am.agreement_id AND a.current_version = am.version
                       WHERE a.township_id = @twp)
                """);
            ps.Add(("@twp", f.TownshipId));
        }
    }
}
