namespace SealService.Api.Hosting;

/// <summary>Bound from the "SealService" configuration section.</summary>
public sealed class SealServiceOptions
{
    public const string Section = "SealService";

    /// <summary>Data folder; empty means SEALSERVICE_DATA or the default data folder.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Largest accepted request body (JSON and CSV uploads alike).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest request target (path and query) answered; longer is 414 URI_TOO_LONG.</summary>
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>Largest header block answered; larger is 431 HEADERS_TOO_LARGE.</summary>
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Largest page a list returns, whatever the client asks for.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Load the demo registry into an empty store (the seed catalogues are always loaded).</summary>
    public bool SeedDemoRegistry { get; set; } = true;
}
