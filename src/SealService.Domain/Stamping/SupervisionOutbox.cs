namespace SealService.Domain.Stamping;

/// <summary>Delivery states of a supervision event.</summary>
public static class SupervisionStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static bool IsKnown(string status) => status is Pending or Delivered or Failed;
}

/// <summary>A supervision event with its delivery state.</summary>
public sealed record SupervisionEventState(
    string Id,
    string DepartmentId,
    string DocumentId,
    string PayloadJson,
    DateTimeOffset CreatedAt,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? DeliveredAt);

/// <summary>The outbox the delivery workers drain (in the seal uses' database; several nodes may drain it at once).</summary>
public interface ISupervisionOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> pending events due at <paramref name="now"/>, oldest first: they are not due
    /// again for any caller until <paramref name="lease"/> has passed, so each is delivered by one worker, and retried by
    /// another when the claimant dies before it records the outcome.
    /// </summary>
    Task<IReadOnlyList<SupervisionEventState>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct);

    Task MarkDeliveredAsync(string id, int attempts, DateTimeOffset at, CancellationToken ct);

    /// <summary>Records a failed attempt; <paramref name="nextAttemptAt"/> null means give up (status failed).</summary>
    Task MarkAttemptFailedAsync(string id, int attempts, DateTimeOffset? nextAttemptAt, string error, CancellationToken ct);

    Task<Ports.Page<SupervisionEventState>> ListAsync(string? status, string? departmentId, Ports.PageRequest page, CancellationToken ct);
}
