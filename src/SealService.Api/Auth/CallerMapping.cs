using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Api.Auth;

public static class CallerMapping
{
    /// <summary>The domain's view of the caller (role names are the same kebab-case words).</summary>
    public static Caller ToDomain(this ApiCaller caller) =>
        Wire.TryParse<CallerRole>(caller.Role, out var role)
            ? new Caller(role, caller.Name, caller.DepartmentId, caller.TownshipId)
            : throw new InvalidOperationException($"role '{caller.Role}' has no domain counterpart");

    public static Caller DomainCaller(this HttpContext context) => ApiCaller.Of(context).ToDomain();
}
