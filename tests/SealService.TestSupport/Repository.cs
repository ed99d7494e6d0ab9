namespace SealService.TestSupport;

/// <summary>The checkout the tests run from (the folder holding SealService.sln).</summary>
public static class Repository
{
    /// <summary>The checkout's root, or null when the tests run from a copy without it.</summary>
    public static string? TryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SealService.sln")))
                return dir.FullName;
        return null;
    }

    public static string Root => TryRoot() ?? throw new DirectoryNotFoundException("SealService.sln not found above " + AppContext.BaseDirectory);
}
