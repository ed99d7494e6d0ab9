namespace SealService.Storage.Relational;

/// <summary>
/// Where SealService keeps its data, shared by the service and sealctl: an explicit path (sealctl --data, configuration),
/// else $SEALSERVICE_DATA, else $XDG_DATA_HOME/sealservice, else ~/.local/share/sealservice (LocalApplicationData on Windows).
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "SEALSERVICE_DATA";
    public const string RegistryFileName = "registry.db";

    public static string Resolve(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "SealService");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "sealservice");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "sealservice");
    }

    /// <summary>The registry database file inside a data directory.</summary>
    public static string RegistryPath(string dataDirectory) => Path.Combine(dataDirectory, RegistryFileName);
}
