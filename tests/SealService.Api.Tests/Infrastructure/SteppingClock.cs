namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// The host's clock in tests: the system time plus an offset that only the test moves forward. Tests order registry
/// changes by <see cref="Advance"/>, never by sleeping; staying near real time keeps real bearer tokens valid.
/// </summary>
public sealed class SteppingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward and returns the instant before the move.</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(by, TimeSpan.Zero);
        var before = GetUtcNow();
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        return before;
    }
}
