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

/// <summary>The outbox the delivery worker drains (adapter: SQLite, same file as the seal uses).</summary>
public interface ISupervisionOutbox
{
    /// <summary>Pending events due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<SupervisionEventState>> DueAsync(DateTimeOffset now, int max, CancellationToken ct);

    Task MarkDeliveredAsync(string id, int attempts, DateTimeOffset at, CancellationToken ct);

    /// <summary>Records a failed attempt; <paramref name="nextAttemptAt"/> null means give up (status failed).</summary>
    Task MarkAttemptFailedAsync(string id, int attempts, DateTimeOffset? nextAttemptAt, string error, CancellationToken ct);

    Task<Ports.Page<SupervisionEventState>> ListAsync(string? status, string? departmentId, Ports.PageRequest page, CancellationToken ct);
}
