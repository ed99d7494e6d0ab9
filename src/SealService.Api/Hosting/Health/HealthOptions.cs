using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SealService.Api.Hosting.Health;

/// <summary>Readiness settings ("SealService:Health").</summary>
public sealed class HealthOptions
{
    /// <summary>How long a TSA probe's answer is reused: probes cost the TSA a token each.</summary>
    public TimeSpan TsaProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the TSA in a probe (the stamping timeout, Keys:Tsa:Timeout, applies too).</summary>
    public TimeSpan TsaProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Seal certificates ending within this window make readiness degraded.</summary>
    public TimeSpan CertificateWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the certificate scan's answer is reused (it reads every active seal's certificate).</summary>
    public TimeSpan CertificateProbeInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>A check's last result, reused until it is older than the interval on the host's clock; one probe at a time.</summary>
internal sealed class CachedProbe(TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> GetAsync(TimeSpan interval, Func<CancellationToken, Task<HealthCheckResult>> probe, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < interval && now >= last.At)
                return last.Result;
            var result = await probe(cancellationToken);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
