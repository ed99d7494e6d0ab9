using SealService.Domain.Model;

namespace SealService.Domain.Policy;

/// <summary>
/// The registry as it stood at one instant: every seal and agreement is the version in force then.
/// The policy reads only this; storage builds it (see <c>IRegistryStore.LoadStampViewAsync</c>).
/// </summary>
public interface IRegistryView
{
    Seal? FindSeal(string sealId);

    Matter? FindMatter(string matterId);

    /// <summary>Agreements (any status) of the township that list the matter.</summary>
    IEnumerable<DelegationAgreement> AgreementsCovering(string townshipId, string matterId);
}

/// <summary>An in-memory <see cref="IRegistryView"/>; also what storage returns for one request.</summary>
public sealed class RegistrySnapshot : IRegistryView
{
    private readonly Dictionary<string, Seal> _seals;
    private readonly Dictionary<string, Matter> _matters;
    private readonly List<DelegationAgreement> _agreements;

    public RegistrySnapshot(IEnumerable<Seal> seals, IEnumerable<Matter> matters, IEnumerable<DelegationAgreement> agreements)
    {
        _seals = seals.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _matters = matters.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _agreements = [.. agreements];
    }

    public Seal? FindSeal(string sealId) => _seals.GetValueOrDefault(sealId);

    public Matter? FindMatter(string matterId) => _matters.GetValueOrDefault(matterId);

    public IEnumerable<DelegationAgreement> AgreementsCovering(string townshipId, string matterId)
    {
        foreach (var a in _agreements)
        {
            if (a.TownshipId == townshipId && a.FindMatter(matterId) is not null)
            {
                yield return a;
            }
        }
    }
}
