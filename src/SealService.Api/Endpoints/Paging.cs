using SealService.Api.Errors;

namespace SealService.Api.Endpoints;

/// <summary>A page of a list: the items asked for and how many match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// Paging from the query string: <c>page</c>/<c>pageSize</c> (1-based) or <c>offset</c>/<c>limit</c>.
/// The size is capped at the configured maximum.
/// </summary>
public sealed record PageQuery(int? Page, int? PageSize, int? Offset, int? Limit)
{
    public const int DefaultSize = 50;

    public (int Offset, int Limit) Resolve(int maxPageSize, FieldErrors errors)
    {
        if ((Page ?? PageSize) is not null && (Offset ?? Limit) is not null)
            errors.Add("page", "use either page/pageSize or offset/limit, not both");
        var size = PageSize ?? Limit ?? DefaultSize;
        if (size < 1 || size > maxPageSize)
            errors.Add(PageSize is null ? "limit" : "pageSize", $"must be between 1 and {maxPageSize}");
        if (Page is < 1)
            errors.Add("page", "must be 1 or more");
        if (Offset is < 0)
            errors.Add("offset", "must be 0 or more");
        var offset = Offset ?? ((Page ?? 1) - 1) * (long)size;
        if (offset > int.MaxValue)
            errors.Add("page", "is too large");
        return ((int)Math.Clamp(offset, 0, int.MaxValue), Math.Clamp(size, 1, maxPageSize));
    }

    public static Page<T> Slice<T>(IEnumerable<T> matching, int offset, int limit)
    {
        var all = matching as IReadOnlyList<T> ?? matching.ToList();
        return new Page<T>(all.Skip(offset).Take(limit).ToList(), all.Count);
    }
}
