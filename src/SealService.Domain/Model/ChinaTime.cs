namespace SealService.Domain.Model;

/// <summary>Agreement and seal periods are calendar dates in China Standard Time (UTC+8, no DST).</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The first instant of a CST date.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);
}

/// <summary>An inclusive date range in CST. <see cref="To"/> null means open-ended.</summary>
public sealed record DatePeriod(DateOnly From, DateOnly? To)
{
    public bool Contains(DateOnly date) => date >= From && (To is null || date <= To.Value);

    public bool IsBefore(DateOnly date) => To is not null && date > To.Value;

    public bool IsAfter(DateOnly date) => date < From;

    public bool IsValid => To is null || To.Value >= From;

    public override string ToString() => $"{From:yyyy-MM-dd}..{(To is null ? "" : To.Value.ToString("yyyy-MM-dd"))}";
}

/// <summary>Who changed something, when, and why. Every agreement/seal version carries one.</summary>
public sealed record ChangeInfo(string Actor, DateTimeOffset At, string Reason);
