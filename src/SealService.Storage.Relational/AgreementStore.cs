using System.Data.Common;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Relational;

internal sealed class AgreementStore(SqlDatabase db)
    : VersionedStore<DelegationAgreement>(db, "agreement", "agreements", VersionColumns, ["id", "current_version", "department_id", "township_id", "title", "status"]),
      IAgreementStore
{
    private static readonly string[] VersionColumns =
    [
        "id", "version", "department_id", "township_id", "title", "period_from", "period_to", "filing_number", "filing_date", "status",
        "changed_by", "changed_at", "changed_offset", "reason",
    ];

    public async Task<IReadOnlyList<DelegationAgreement>> ListForTownshipAsOfAsync(string townshipId, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await Db.OpenAsync(ct);
        return await QueryAsync(c, null, $"{SelectVersions} {AsOfJoin} ORDER BY v.id", ct, ("@twp", townshipId), ("@at", at.UtcTicks));
    }

    /// <summary>The township's agreements in force at @at that list @matter; only that matter's line is loaded (hot path).</summary>
    internal async Task<List<DelegationAgreement>> CoveringAsOfAsync(DbConnection c, DbTransaction? tx, string townshipId, string matterId, DateTimeOffset at, CancellationToken ct)
    {
        var found = new List<DelegationAgreement>();
        await using (var cmd = Sql.Command(c, tx,
            $"{SelectVersions} {AsOfJoin} JOIN agreement_matters am ON am.agreement_id = v.id AND am.version = v.version AND am.matter_id = @matter " +
            "ORDER BY v.id",
            ("@twp", townshipId), ("@at", at.UtcTicks), ("@matter", matterId)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                found.Add(Read(r));
            }
        }

        if (found.Count == 0)
        {
            return found;
        }

        var lines = await ReadMattersAsync(c, tx, [.. found.Select(a => (a.Id, a.Version))], ct, matterId);
        return [.. found.Select(a => a with { Matters = lines[(a.Id, a.Version)] })];
    }

    protected override string IdOf(DelegationAgreement e) => e.Id;

    protected override int VersionOf(DelegationAgreement e) => e.Version;

    protected override ChangeInfo ChangeOf(DelegationAgreement e) => e.Change;

    protected override object?[] VersionValues(DelegationAgreement e) =>
    [
        e.Id, e.Version, e.DepartmentId, e.TownshipId, e.Title, Sql.Date(e.Period.From), Sql.Date(e.Period.To), e.FilingNumber,
        Sql.Date(e.FilingDate), Wire.Name(e.Status), e.Change.Actor, e.Change.At.UtcTicks, (long)e.Change.At.Offset.TotalMinutes, e.Change.Reason,
    ];

    protected override object?[] HeadValues(DelegationAgreement e) => [e.Id, e.Version, e.DepartmentId, e.TownshipId, e.Title, Wire.Name(e.Status)];

    protected override DelegationAgreement Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Version = r.GetInt32(1),
        DepartmentId = r.GetString(2),
        TownshipId = r.GetString(3),
        Title = r.GetString(4),
        Period = new DatePeriod(Sql.ParseDate(r.GetString(5)), Sql.ParseDateOrNull(r.Str(6))),
        FilingNumber = r.Str(7),
        FilingDate = Sql.ParseDateOrNull(r.Str(8)),
        Status = Sql.Enum<AgreementStatus>(r.GetString(9)),
        Change = new ChangeInfo(r.GetString(10), Sql.Instant(r.GetInt64(11), r.GetInt64(12)), r.GetString(13)),
        Matters = [],
    };

    protected override async Task<List<DelegationAgreement>> CompleteAsync(DbConnection c, DbTransaction? tx, List<DelegationAgreement> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return items;
        }

        var lines = await ReadMattersAsync(c, tx, [.. items.Select(a => (a.Id, a.Version))], ct, null);
        return [.. items.Select(a => a with { Matters = lines[(a.Id, a.Version)] })];
    }

    protected override async Task WriteChildrenAsync(DbConnection c, DbTransaction tx, DelegationAgreement e, CancellationToken ct)
    {
        await using var cmd = Sql.Command(c, tx,
            "INSERT INTO agreement_matters (agreement_id, version, ordinal, matter_id, mode, steps) VALUES (@id, @v, @o, @m, @mode, @steps)");
        cmd.Add("@id", e.Id);
        cmd.Add("@v", e.Version);
        var ordinal = cmd.Add("@o", 0);
        var matter = cmd.Add("@m", "");
        var mode = cmd.Add("@mode", "");
        var steps = cmd.Add("@steps", "");
        for (var i = 0; i < e.Matters.Count; i++)
        {
            ordinal.Value = i;
            matter.Value = e.Matters[i].MatterId;
            mode.Value = Wire.Name(e.Matters[i].Mode);
            steps.Value = Sql.Steps(e.Matters[i].Steps);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    protected override void Filter(RegistryFilter f, List<string> where, List<(string, object?)> ps)
    {
        if (!string.IsNullOrEmpty(f.Name))
        {
            where.Add(Db.Contains("title", "@name"));
            ps.Add(("@name", f.Name));
        }

        if (f.RegionId is not null)
        {
            where.Add("township_id IN (SELECT id FROM townships WHERE region_id = @region)");
            ps.Add(("@region", f.RegionId));
        }

        if (f.DepartmentId is not null)
        {
            where.Add("department_id = @dept");
            ps.Add(("@dept", f.DepartmentId));
        }

        if (f.TownshipId is not null)
        {
            where.Add("township_id = @twp");
            ps.Add(("@twp", f.TownshipId));
        }

        if (f.Status is not null)
        {
            where.Add("status = @status");
            ps.Add(("@status", f.Status));
        }
    }

    private const string AsOfJoin =
        "JOIN (SELECT id, MAX(version) AS version FROM agreement_versions WHERE township_id = @twp AND changed_at <= @at GROUP BY id) m " +
        "ON m.id = v.id AND m.version = v.version";

    private static async Task<Dictionary<(string, int), IReadOnlyList<AgreementMatter>>> ReadMattersAsync(
        DbConnection c, DbTransaction? tx, List<(string Id, int Version)> keys, CancellationToken ct, string? onlyMatter)
    {
        var result = keys.Distinct().ToDictionary(k => k, _ => (IReadOnlyList<AgreementMatter>)new List<AgreementMatter>());
        // Batches keep the parameter count well under SQLite's limit.
        foreach (var chunk in keys.Distinct().Chunk(200))
        {
            var conds = string.Join(" OR ", chunk.Select((_, i) => $"(agreement_id = @a{i} AND version = @v{i})"));
            var ps = chunk.SelectMany((k, i) => new (string, object?)[] { ($"@a{i}", k.Id), ($"@v{i}", k.Version) }).ToList();
            var matterClause = onlyMatter is null ? "" : " AND matter_id = @only";
            if (onlyMatter is not null)
            {
                ps.Add(("@only", onlyMatter));
            }

            await using var cmd = Sql.Command(c, tx,
                $"SELECT agreement_id, version, matter_id, mode, steps FROM agreement_matters WHERE ({conds}){matterClause} ORDER BY agreement_id, version, ordinal",
                [.. ps]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var list = (List<AgreementMatter>)result[(r.GetString(0), r.GetInt32(1))];
                list.Add(new AgreementMatter(r.GetString(2), Sql.Enum<DelegationMode>(r.GetString(3)), Sql.ParseSteps(r.GetString(4))));
            }
        }

        return result;
    }
}
