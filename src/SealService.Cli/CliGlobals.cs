using System.CommandLine;

namespace SealService.Cli;

public static class CliGlobals
{
    /// <summary>Data folder; overrides SEALSERVICE_DATA. Shared by every command.</summary>
    public static readonly Option<DirectoryInfo?> DataOption = new("--data")
    {
        Description = "Data folder (default: $SEALSERVICE_DATA, else the service's default)",
        Recursive = true,
    };
}
