using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Application;

/// <summary>Who may change what in the registry. Reading is open to every authenticated role.</summary>
public static class Access
{
    public static void RequireAdmin(Caller caller)
    {
        if (caller.Role != CallerRole.RegistryAdmin)
        {
            throw DomainException.Forbidden("只有登记管理员可以修改基础数据 (registry-admin only)");
        }
    }

    /// <summary>An officer manages only the agreements and seals of their own department.</summary>
    public static void RequireManages(Caller caller, string departmentId)
    {
        if (caller.Role == CallerRole.RegistryAdmin)
        {
            return;
        }

        if (caller.Role == CallerRole.DepartmentOfficer && caller.DepartmentId == departmentId)
        {
            return;
        }

        throw DomainException.Forbidden($"{caller.PersonName} 不能管理部门 {departmentId} 的协议或印章 (not your department)");
    }

    public static void RequireManagesSeal(Caller caller, Seal seal)
    {
        if (seal.Kind == SealKind.TownshipOwn)
        {
            RequireAdmin(caller);
            return;
        }

        RequireManages(caller, seal.ActingBodyId);
    }

    public static ChangeInfo Change(Caller caller, DateTimeOffset at, string? reason)
    {
        var v = new Validator();
        v.Required("reason", reason, Limits.Reason);
        v.Required("actor", caller.PersonName, Limits.Person);
        v.ThrowIfAny();
        return new ChangeInfo($"{caller.PersonName} ({Wire.Name(caller.Role)})", at, reason!);
    }
}
