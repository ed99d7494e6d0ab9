using SealService.Api.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Api.Endpoints;

/// <summary>
/// Filters and paging shared by every list: <c>regionId</c>, <c>departmentId</c>, <c>townshipId</c>,
/// <c>name</c> (substring), <c>status</c>; paging by <c>page</c>/<c>pageSize</c> (1-based) or
/// <c>offset</c>/<c>limit</c>, capped at the configured maximum page size.
/// </summary>
/// <remarks>Settable properties rather than a positional record: the request delegate generator cannot bind the latter.</remarks>
public sealed record ListQuery
{
    public string? RegionId { get; init; }
    public string? DepartmentId { get; init; }
    public string? TownshipId { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public int? Offset { get; init; }
    public int? Limit { get; init; }

    public const int DefaultPageSize = 50;

    /// <summary>The store's filter and page, or field errors.</summary>
    public (RegistryFilter Filter, PageRequest Page) Resolve(int maxPageSize, FieldErrors errors)
    {
        errors.Optional("regionId", RegionId, Ids.MaxLength);
        errors.Optional("departmentId", DepartmentId, Ids.MaxLength);
        errors.Optional("townshipId", TownshipId, Ids.MaxLength);
        errors.Optional("name", Name, Limits.Name);
        errors.Optional("status", Status, 32);

        maxPageSize = Math.Min(maxPageSize, Limits.PageSizeMax);
        if ((Page ?? PageSize) is not null && (Offset ?? Limit) is not null)
            errors.Add("page", "use either page/pageSize or offset/limit, not both");
        var size = PageSize ?? Limit ?? DefaultPageSize;
        if (size < 1 || size > maxPageSize)
            errors.Add(Limit is null ? "pageSize" : "limit", $"must be between 1 and {maxPageSize}");
        if (Page is < 1)
            errors.Add("page", "must be 1 or more");
        if (Offset is < 0)
            errors.Add("offset", "must be 0 or more");
        var offset = Offset ?? ((Page ?? 1) - 1L) * size;
        if (offset > int.MaxValue)
            errors.Add("page", "is too large");

        var filter = new RegistryFilter(Blank(RegionId), Blank(DepartmentId), Blank(TownshipId), Blank(Name), Blank(Status));
        return (filter, new PageRequest((int)Math.Clamp(offset, 0, int.MaxValue), Math.Clamp(size, 1, maxPageSize)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
