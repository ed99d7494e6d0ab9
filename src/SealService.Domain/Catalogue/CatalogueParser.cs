using System.Text.RegularExpressions;
using SealService.Domain.Model;

namespace SealService.Domain.Catalogue;

/// <summary>
/// The one catalogue importer's parsing half: reads a whole file, validates every row and returns a batch, or
/// throws <see cref="CatalogueException"/> (file:line) before anything is written.
/// </summary>
public static partial class CatalogueParser
{
    public static CatalogueBatch Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var file = Path.GetFileName(fileName.Replace('\\', '/'));
        var format = CatalogueFormats.Find(file) ?? throw CatalogueException.UnknownFormat(file);
        var csv = new CsvReader(reader, file);

        var header = csv.ReadRecord() ?? throw CatalogueException.At(file, 1, "文件为空 (empty file)");
        if (!header.SequenceEqual(format.Header, StringComparer.Ordinal))
        {
            throw CatalogueException.At(file, 1, $"表头应为 {string.Join(",", format.Header)} (unexpected header)");
        }

        var departments = new Dictionary<string, Department>(StringComparer.Ordinal);
        var matters = new List<Matter>();
        var seqs = new HashSet<int>();
        while (csv.ReadRecord() is { } fields)
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            var row = new CatalogueRow(file, csv.RecordLine, format.Header, fields);
            if (fields.Count != format.Header.Length)
            {
                throw row.Fail($"应有 {format.Header.Length} 列，实有 {fields.Count} 列 (wrong number of columns)");
            }

            matters.Add(MapRow(format, file, row, seqs, departments));
        }

        if (matters.Count == 0)
        {
            throw CatalogueException.At(file, 2, "没有数据行 (no rows)");
        }

        return new CatalogueBatch(file, format.Region, [.. departments.Values], matters);
    }

    /// <summary>Stable matter id from the natural key (file, seq).</summary>
    public static string MatterId(string fileKey, int seq) => $"mat-{fileKey}-{seq:000}";

    private static Matter MapRow(CatalogueFormat format, string file, CatalogueRow row, HashSet<int> seqs, Dictionary<string, Department> departments)
    {
        var seqText = row.Required("seq");
        if (!int.TryParse(seqText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) || seq is < 1 or > 99_999)
        {
            throw row.Fail($"序号「{seqText}」无效 (seq must be a positive integer)");
        }

        if (!seqs.Add(seq))
        {
            throw row.Fail($"序号 {seq} 重复 (duplicate seq)");
        }

        var m = format.Map(row);
        if (m.Name.Length > Limits.Name)
        {
            throw row.Fail($"事项名称超过 {Limits.Name} 字 (name too long)");
        }

        if (!PowerTypes.TryParse(m.PowerTypeText, out var powerType, out var secondary))
        {
            throw row.Fail($"无法识别的权力类型「{m.PowerTypeText}」(unknown power type)");
        }

        if (m.Code is not null && !CodePattern().IsMatch(m.Code))
        {
            throw row.Fail($"事项编码「{m.Code}」格式无效 (code must be 11-13 digits, optionally ending in Y)");
        }

        var owner = Department(format, m.Department, row, departments);
        var supervising = m.SupervisingDepartment is null ? null : Department(format, m.SupervisingDepartment, row, departments);
        return new Matter
        {
            Id = MatterId(format.Key, seq),
            RegionId = format.Region.Id,
            DepartmentId = owner.Id,
            SupervisingDepartmentId = supervising?.Id,
            Name = m.Name,
            Code = m.Code,
            PowerType = powerType,
            SecondaryPowerType = secondary,
            PowerTypeText = m.PowerTypeText,
            Level = m.Level,
            CatalogueMode = m.Mode,
            CatalogueSteps = m.Steps,
            Handling = m.Handling,
            Remark = m.Remark,
            Source = new CatalogueSource(file, seq, row.Line),
        };
    }

    private static Department Department(CatalogueFormat format, string name, CatalogueRow row, Dictionary<string, Department> departments)
    {
        if (name.Length > Limits.Name)
        {
            throw row.Fail("部门名称过长 (department name too long)");
        }

        if (departments.TryGetValue(name, out var known))
        {
            return known;
        }

        var id = DepartmentIds.For(format.RegionSlug, name);
        if (departments.Values.Any(d => d.Id == id))
        {
            throw row.Fail($"部门「{name}」与已有部门标识 {id} 冲突 (department id clash)");
        }

        var department = new Department(id, format.Region.Id, name);
        departments[name] = department;
        return department;
    }

    [GeneratedRegex("^[0-9]{11,13}Y?$")]
    private static partial Regex CodePattern();
}
