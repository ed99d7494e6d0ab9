namespace SealService.Cli;

/// <summary>
/// Files sealctl ships beside itself (the committed development root and ledger certificates), so that defaults work
/// from any working folder. Paths a user types stay relative to the working folder, as in any command-line tool.
/// </summary>
public static class CliPaths
{
    public static string DevFile(string name) => Path.Combine(AppContext.BaseDirectory, "certs-dev", name);
}
