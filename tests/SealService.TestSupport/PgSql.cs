using System.Globalization;
using Npgsql;

namespace SealService.TestSupport;

/// <summary>One statement straight on a test database (what the code under test wrote, or what another node left).</summary>
public static class PgSql
{
    public static async Task<object?> ValueAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql) =>
        Convert.ToInt64(await ValueAsync(connectionString, sql), CultureInfo.InvariantCulture);

    public static async Task<string> TextAsync(string connectionString, string sql) =>
        (await ValueAsync(connectionString, sql))?.ToString() ?? "";

    public static Task ExecuteAsync(string connectionString, string sql) => ValueAsync(connectionString, sql);
}
