using SealService.Keys.Tsa;

namespace SealService.Api.Stamping;

/// <summary>The TSA that time-stamps seal signatures (PAdES B-T and up), or none; readiness probes the same one.</summary>
/// <param name="ExternalHost">Host of Keys:Tsa:Url; null for the built-in development TSA.</param>
/// <param name="Required">The host's default level needs it (then a failing TSA makes the node not ready, else degraded).</param>
public sealed record SignatureTimeStamps(ITimeStampAuthority? Authority, string? ExternalHost, bool Required)
{
    public static SignatureTimeStamps None { get; } = new(null, null, false);
}
