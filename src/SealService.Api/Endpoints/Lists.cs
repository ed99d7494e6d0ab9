using Microsoft.Extensions.Options;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Domain.Ports;

namespace SealService.Api.Endpoints;

internal static class Lists
{
    /// <summary>Runs a filtered, paged list and maps its items to their wire form.</summary>
    public static async Task<IResult> Page<T, TView>(
        ListQuery query, IOptions<SealServiceOptions> options,
        Func<RegistryFilter, PageRequest, Task<Page<T>>> list, Func<T, TView> view)
    {
        var errors = new FieldErrors();
        var (filter, page) = query.Resolve(options.Value.MaxPageSize, errors);
        if (errors.ToResult() is { } invalid)
            return invalid;
        var found = await list(filter, page);
        return TypedResults.Ok(new Page<TView>([.. found.Items.Select(view)], found.Total));
    }
}
