namespace SealService.Domain.Ports;

/// <summary>For readiness checks: can the store take a write now? Implemented by each storage adapter.</summary>
public interface IStoreHealthProbe
{
    /// <summary>Null when a write transaction can start within <paramref name="timeout"/>; else what stops it.</summary>
    Task<string?> WriteProblemAsync(TimeSpan timeout, CancellationToken ct);
}
