using System.Data.Common;
using System.Globalization;
using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Storage.Relational;

/// <summary>Small ADO.NET helpers: commands with parameters, null-safe reads, value formats.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string text, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            cmd.Add(name, value);
        }

        return cmd;
    }

    public static DbParameter Add(this DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    public static async Task<int> ExecuteAsync(DbConnection c, DbTransaction? tx, string text, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = Command(c, tx, text, ps);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<long> ScalarAsync(DbConnection c, DbTransaction? tx, string text, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = Command(c, tx, text, ps);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public static string? Str(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? d) => d is null ? null : Date(d.Value);

    public static DateOnly ParseDate(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDateOrNull(string? s) => s is null ? null : ParseDate(s);

    public static T Enum<T>(string text)
        where T : struct, System.Enum =>
        Wire.TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"unknown {typeof(T).Name} '{text}' in registry database");

    public static string Steps(IEnumerable<CaseStep> steps) => string.Join(',', steps.Select(s => s.Name()));

    public static IReadOnlyList<CaseStep> ParseSteps(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(s => Wire.TryParseStep(s, out var step) ? step : throw new InvalidDataException($"unknown step '{s}'"))];

    /// <summary>Instants are stored as UTC ticks (ordering, as-of queries) plus the original offset in minutes.</summary>
    public static DateTimeOffset Instant(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    /// <summary>Numbered parameters @p0.. for a row's values.</summary>
    public static (string, object?)[] Params(object?[] row, string prefix = "@p") => [.. row.Select((v, i) => ($"{prefix}{i}", v))];

    /// <summary>Maps constraint failures to domain errors; anything else propagates.</summary>
    public static async Task<T> Guard<T>(this SqlDatabase db, Func<Task<T>> action, string what)
    {
        try
        {
            return await action();
        }
        catch (DbException e) when (db.IsConstraint(e, out var foreignKey))
        {
            if (foreignKey)
            {
                throw DomainException.Conflict($"{what}: 引用的对象不存在或仍被引用 (a referenced entity is missing, or this one is still referenced)");
            }

            throw DomainException.Conflict($"{what}: 标识已存在 (already exists)");
        }
    }
}
