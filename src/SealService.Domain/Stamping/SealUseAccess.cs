using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Stamping;

/// <summary>
/// Who may read seal uses and documents: auditors and registry admins everything; a department officer the uses of
/// their department's seals (in every township); a township clerk the uses of seals their township holds and the
/// attempts made by their township's clerks.
/// </summary>
public static class SealUseAccess
{
    public static bool CanRead(Caller caller, SealUseRecord use) => caller.Role switch
    {
        CallerRole.RegistryAdmin or CallerRole.Auditor => true,
        CallerRole.DepartmentOfficer => caller.DepartmentId is not null && use.SealDepartmentId == caller.DepartmentId,
        CallerRole.TownshipClerk => caller.TownshipId is not null
            && (use.SealTownshipId == caller.TownshipId || use.ActorTownshipId == caller.TownshipId),
        _ => false,
    };

    /// <summary>Narrows a filter to the caller's scope; naming another department or township is FORBIDDEN.</summary>
    public static SealUseFilter Scope(Caller caller, SealUseFilter filter)
    {
        switch (caller.Role)
        {
            case CallerRole.RegistryAdmin or CallerRole.Auditor:
                return filter;
            case CallerRole.DepartmentOfficer:
                if (filter.DepartmentId is not null && filter.DepartmentId != caller.DepartmentId)
                {
                    throw Forbidden("部门人员只能查看本部门印章的使用记录 (officers see their own department's seals only)");
                }

                return filter with { DepartmentId = caller.DepartmentId ?? throw Forbidden("no department") };
            case CallerRole.TownshipClerk:
                if (filter.TownshipId is not null && filter.TownshipId != caller.TownshipId)
                {
                    throw Forbidden("窗口人员只能查看本镇街的用章记录 (clerks see their own township only)");
                }

                return filter with { TownshipId = caller.TownshipId ?? throw Forbidden("no township") };
            default:
                throw Forbidden("no access");
        }
    }

    private static StampingException Forbidden(string message) =>
        new(StampingErrorCodes.Forbidden, message);
}
