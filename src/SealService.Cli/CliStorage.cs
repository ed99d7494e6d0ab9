using System.CommandLine;
using SealService.Storage.Postgres;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;

namespace SealService.Cli;

/// <summary>
/// The store sealctl works on, chosen by the service's own settings: with Storage__Provider=postgres the database
/// Storage__ConnectionString names (as every node of a cluster), else the SQLite file in the data folder.
/// </summary>
internal static class CliStorage
{
    /// <summary>The PostgreSQL connection string when the environment selects PostgreSQL, else null.</summary>
    public static string? PostgresConnectionString =>
        string.Equals(Environment.GetEnvironmentVariable("Storage__Provider")?.Trim(), StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase)
            ? Environment.GetEnvironmentVariable("Storage__ConnectionString") is { Length: > 0 } cs
                ? cs
                : throw new InvalidOperationException("Storage__Provider is postgres but Storage__ConnectionString is empty")
            : null;

    public static async Task<RelationalRegistryStore> OpenRegistryAsync(ParseResult parse, CancellationToken ct) =>
        PostgresConnectionString is { } cs
            ? await PostgresRegistryStore.OpenAsync(cs, ct)
            : await SqliteRegistryStore.OpenAsync(DataDirectory.Resolve(parse.GetValue(CliGlobals.DataOption)?.FullName), ct);
}
