using SealService.Domain.Demo;
using SealService.Domain.Model;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>One demo seal per delegation mode, with a matter its agreement lists in that mode and that agreement's steps.</summary>
public sealed record DemoMode(string Mode, string SealId, string TownshipId, string MatterId, IReadOnlyList<string> AgreementSteps)
{
    private static readonly (string Mode, string SealId, string Township)[] Picks =
    [
        ("entrusted-handling", "seal-mudan-spj-shatu", "twp-mudan-shatu"),
        ("entrusted-acceptance", "seal-mudan-spj-wudian", "twp-mudan-wudian"),
        ("direct-devolution", "seal-shanting-xiji", "twp-shanting-xiji"),
        ("review-devolved", "seal-shanting-xiji", "twp-shanting-xiji"),
    ];

    /// <summary>Read from the demo registry the host seeds (the registry itself, not the policy).</summary>
    public static IReadOnlyList<DemoMode> All { get; } = Load();

    private static List<DemoMode> Load()
    {
        var seed = DemoRegistry.Build(DateTimeOffset.UtcNow);
        return Picks.Select(p =>
        {
            var (agreement, item) = seed.Agreements.Where(a => a.TownshipId == p.Township)
                .SelectMany(a => a.Matters.Select(m => (a, m)))
                .First(x => Wire.Name(x.m.Mode) == p.Mode);
            return new DemoMode(p.Mode, p.SealId, p.Township, item.MatterId, item.Steps.Select(s => s.Name()).ToList());
        }).ToList();
    }
}
