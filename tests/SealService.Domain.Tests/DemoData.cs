using SealService.Domain.Catalogue;
using SealService.Domain.Demo;
using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Tests;

/// <summary>The demo registry over the real catalogues, as an in-memory view the policy reads.</summary>
internal sealed class DemoData
{
    public static readonly DateTimeOffset SeededAt = new(2026, 3, 1, 9, 0, 0, ChinaTime.Offset);

    public DemoData()
    {
        Seed = DemoRegistry.Build(SeededAt);
        Matters = SeedCatalogues.ParseAll().SelectMany(b => b.Matters).ToList();
        Seals = Seed.Seals.ToList();
        Agreements = Seed.Agreements.ToList();
    }

    public Ports.RegistrySeed Seed { get; }

    public List<Matter> Matters { get; }

    public List<Seal> Seals { get; }

    public List<DelegationAgreement> Agreements { get; }

    public DateTimeOffset Now => SeededAt.AddDays(10);

    public RegistrySnapshot View() => new(Seals, Matters, Agreements);

    public Matter Matter(string file, int seq) => Matters.Single(m => m.Source!.File == file && m.Source.Seq == seq);

    public Matter Matter(string file, Func<Matter, bool> pick) => Matters.First(m => m.Source!.File == file && pick(m));

    public void Replace(DelegationAgreement agreement) => Agreements[Agreements.FindIndex(a => a.Id == agreement.Id)] = agreement;

    public void Replace(Seal seal) => Seals[Seals.FindIndex(s => s.Id == seal.Id)] = seal;

    public DelegationAgreement Agreement(string id) => Agreements.Single(a => a.Id == id);

    public Seal Seal(string id) => Seals.Single(s => s.Id == id);

    public static ChangeInfo Change(DateTimeOffset at, string why = "测试") => new("测试员 (registry-admin)", at, why);

    public static Caller Clerk(string township) => new(CallerRole.TownshipClerk, "王窗口", TownshipId: township);

    public static Caller Officer(string department) => new(CallerRole.DepartmentOfficer, "李科长", DepartmentId: department);
}
