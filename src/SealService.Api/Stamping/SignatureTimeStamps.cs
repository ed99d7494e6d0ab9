using SealService.Keys.Tsa;

namespace SealService.Api.Stamping;

/// <summary>The TSA that time-stamps seal signatures (PAdES B-T), or none (B-B); readiness probes the same one.</summary>
/// <param name="ExternalHost">Host of Keys:Tsa:Url; null for the built-in development TSA.</param>
public sealed record SignatureTimeStamps(ITimeStampAuthority? Authority, string? ExternalHost)
{
    public static SignatureTimeStamps None { get; } = new(null, null);
}
