using System.Data.Common;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

internal sealed class SealStore(SqlDatabase db)
    : VersionedStore<Seal>(db, "seal", "seals", VersionColumns, ["id", "current_version", "text", "kind", "acting_body_id", "holding_township_id", "status"])
{
    private static readonly string[] VersionColumns =
    [
        "id", "version", "text", "kind", "acting_body_id", "holding_township_id", "valid_from", "valid_to", "key_ref", "arc_text", "purpose_text",
        "status", "changed_by", "changed_at", "changed_offset", "reason", "signature_level",
    ];

    protected override string IdOf(Seal e) => e.Id;

    protected override int VersionOf(Seal e) => e.Version;

    protected override ChangeInfo ChangeOf(Seal e) => e.Change;

    protected override object?[] VersionValues(Seal e) =>
    [
        e.Id, e.Version, e.Text, Wire.Name(e.Kind), e.ActingBodyId, e.HoldingTownshipId, Sql.Date(e.Validity.From), Sql.Date(e.Validity.To),
        e.KeyRef, e.ArcText, e.PurposeText, Wire.Name(e.Status), e.Change.Actor, e.Change.At.UtcTicks, (long)e.Change.At.Offset.TotalMinutes,
        e.Change.Reason, e.SignatureLevel is { } level ? level.Name() : null,
    ];

    protected override object?[] HeadValues(Seal e) =>
        [e.Id, e.Version, e.Text, Wire.Name(e.Kind), e.ActingBodyId, e.HoldingTownshipId, Wire.Name(e.Status)];

    protected override Seal Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Version = r.GetInt32(1),
        Text = r.GetString(2),
        Kind = Sql.Enum<SealKind>(r.GetString(3)),
        ActingBodyId = r.GetString(4),
        HoldingTownshipId = r.Str(5),
        Validity = new DatePeriod(Sql.ParseDate(r.GetString(6)), Sql.ParseDateOrNull(r.Str(7))),
        KeyRef = r.GetString(8),
        ArcText = r.Str(9),
        PurposeText = r.Str(10),
        Status = Sql.Enum<SealStatus>(r.GetString(11)),
        Change = new ChangeInfo(r.GetString(12), Sql.Instant(r.GetInt64(13), r.GetInt64(14)), r.GetString(15)),
        SignatureLevel = r.Str(16) is { } level ? (SignatureLevels.TryParse(level, out var l) ? l : throw new InvalidDataException($"seal_versions.signature_level '{level}'")) : null,
    };

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        if (!string.IsNullOrEmpty(f.Name))
        {
            where.Add(Db.Contains("text", "@name"));
            ps.Add(("@name", f.Name));
        }

        if (f.RegionId is not null)
        {
            where.Add("acting_body_id IN (SELECT id FROM departments WHERE region_id = @region UNION SELECT id FROM townships WHERE region_id = @region)");
            ps.Add(("@region", f.RegionId));
        }

        if (f.DepartmentId is not null)
        {
            where.Add("acting_body_id = @dept");
            ps.Add(("@dept", f.DepartmentId));
        }

        if (f.TownshipId is not null)
        {
            where.Add("(holding_township_id = @twp OR acting_body_id = @twp)");
            ps.Add(("@twp", f.TownshipId));
        }

        if (f.Status is not null)
        {
            where.Add("status = @status");
            ps.Add(("@status", f.Status));
        }
    }
}
