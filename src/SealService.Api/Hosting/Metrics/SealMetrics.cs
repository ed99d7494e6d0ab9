using System.Diagnostics.Metrics;
using SealService.Api.Stamping;

namespace SealService.Api.Hosting.Metrics;

/// <summary>
/// The service's own instruments (meter "SealService"): stamps by outcome and code, stamp latency, verifications by
/// verdict, the ledger's size, its unsigned entries and the age of its latest signed head. Exported with ASP.NET Core's and Kestrel's meters at <c>/metrics</c> (Prometheus).
/// </summary>
public sealed class SealMetrics : IDisposable
{
    public const string MeterName = "SealService";

    private readonly Meter _meter;
    private readonly Counter<long> _stamps;
    private readonly Histogram<double> _stampSeconds;
    private readonly Counter<long> _verifications;

    public SealMetrics(IMeterFactory meters, IServiceProvider services)
    {
        _meter = meters.Create(MeterName);
        _stamps = _meter.CreateCounter<long>("sealservice.stamps", "{stamp}", "Stamping requests answered, by outcome (stamped, replayed, refused, invalid, …) and code");
        _stampSeconds = _meter.CreateHistogram<double>("sealservice.stamp.duration", "s", "Time to answer a stamping request",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _verifications = _meter.CreateCounter<long>("sealservice.verifications", "{report}", "Verification reports built, by verdict");
        _meter.CreateObservableGauge("sealservice.ledger.size", () => services.GetService<LedgerJournal>()?.Ledger.Size ?? 0L, "{entry}", "Entries in the seal-use ledger");
        var time = services.GetRequiredService<TimeProvider>();
        _meter.CreateObservableGauge("sealservice.ledger.head.age", () => HeadAge(services, time), "s",
            "Seconds since the latest signed tree head (absent before the first); alert when it grows while entries are unsigned");
        _meter.CreateObservableGauge("sealservice.ledger.unsigned", () => services.GetService<LedgerJournal>()?.Ledger.UnsignedEntries ?? 0L,
            "{entry}", "Ledger entries no signed tree head covers yet");
    }

    private static IEnumerable<Measurement<double>> HeadAge(IServiceProvider services, TimeProvider time)
    {
        if (services.GetService<LedgerJournal>()?.Ledger.LatestTreeHead?.IssuedAt is { } at)
        {
            yield return new Measurement<double>(Math.Max(0, (time.GetUtcNow() - at).TotalSeconds));
        }
    }

    public void Stamp(string outcome, string code, double seconds)
    {
        _stamps.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("code", code));
        _stampSeconds.Record(seconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Verification(string verdict) => _verifications.Add(1, new KeyValuePair<string, object?>("verdict", verdict));

    public void Dispose() => _meter.Dispose();
}
