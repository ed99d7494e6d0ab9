using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Domain.Ports;

/// <summary>Offset paging; <see cref="Limit"/> is capped at <see cref="Limits.PageSizeMax"/>.</summary>
public sealed record PageRequest(int Offset = 0, int Limit = 50)
{
    public static PageRequest All => new(0, Limits.PageSizeMax);

    public PageRequest Validated()
    {
        var v = new Validator();
        if (Offset < 0)
        {
            v.Add("offset", "不能为负 (must be >= 0)");
        }

        if (Limit is < 1 or > Limits.PageSizeMax)
        {
            v.Add("limit", $"范围 1..{Limits.PageSizeMax} (must be 1..{Limits.PageSizeMax})");
        }

        v.ThrowIfAny();
        return this;
    }
}

/// <summary>One page of a list plus the total count of matches: serialises as {items, total}.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// List filter shared by every registry list; each store applies the fields that make sense for it
/// (e.g. TownshipId filters agreements and seals by township, matters ignore it). Name is a substring match.
/// Status is a wire name (e.g. "effective", "active").
/// </summary>
public sealed record RegistryFilter(
    string? RegionId = null,
    string? DepartmentId = null,
    string? TownshipId = null,
    string? Name = null,
    string? Status = null)
{
    public static RegistryFilter None { get; } = new();
}
