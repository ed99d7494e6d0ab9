using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Domain.Application;

/// <summary>一镇街一清单: the matters a township's agreements let it handle on a date.</summary>
public sealed class TownshipListService(IRegistryStore store, TimeProvider clock)
{
    /// <summary>
    /// The list for <paramref name="date"/> (CST; today if null). A past date is read as the registry stood at the end
    /// of that day; today as it stands now.
    /// </summary>
    public async Task<TownshipList> GetAsync(string townshipId, DateOnly? date, CancellationToken ct)
    {
        var township = await store.Townships.GetAsync(townshipId, ct) ?? throw DomainException.NotFound("township", townshipId);
        var now = clock.GetUtcNow();
        var day = date ?? ChinaTime.DateOf(now);
        var endOfDay = ChinaTime.StartOf(day.AddDays(1)).AddTicks(-1);
        var at = endOfDay < now ? endOfDay : now;
        var stateAt = at < ChinaTime.StartOf(day) ? ChinaTime.StartOf(day) : at; // future dates: judge the period at that day

        var agreements = (await store.Agreements.ListForTownshipAsOfAsync(townshipId, at, ct))
            .Where(a => a.StateAt(stateAt) == AgreementState.Effective)
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
        var ids = agreements.SelectMany(a => a.Matters.Select(m => m.MatterId)).ToHashSet(StringComparer.Ordinal);
        var matters = (await store.Matters.GetManyAsync(ids, ct)).ToDictionary(m => m.Id, StringComparer.Ordinal);

        var entries = new List<TownshipListEntry>();
        foreach (var agreement in agreements)
        {
            foreach (var item in agreement.Matters)
            {
                if (matters.TryGetValue(item.MatterId, out var matter))
                {
                    entries.Add(new TownshipListEntry(matter, item.Mode, item.Steps, agreement.Id, agreement.Version, agreement.DepartmentId));
                }
            }
        }

        return new TownshipList(township, day, entries);
    }
}
