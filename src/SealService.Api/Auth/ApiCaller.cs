using System.Security.Claims;

namespace SealService.Api.Auth;

/// <summary>The authenticated person behind a request, as the token's claims describe them.</summary>
public sealed record ApiCaller(string Name, string Role, string? DepartmentId, string? TownshipId)
{
    /// <summary>Reads the caller, or explains which claim is missing (checked once when the token is validated).</summary>
    public static ApiCaller? From(ClaimsPrincipal user, out string? problem)
    {
        var name = user.FindFirstValue(SealClaims.Name);
        var roles = user.FindAll(SealClaims.Role).Select(c => c.Value).ToList();
        var department = user.FindFirstValue(SealClaims.Department);
        var township = user.FindFirstValue(SealClaims.Township);
        problem = null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            problem = "the token has no usable 'name' claim";
        else if (roles.Count != 1 || !SealClaims.AllRoles.Contains(roles[0]))
            problem = $"the token must carry exactly one known 'role' ({string.Join(", ", SealClaims.AllRoles)})";
        else if (roles[0] == SealClaims.DepartmentOfficer && string.IsNullOrWhiteSpace(department))
            problem = "a department-officer token needs a 'dept' claim";
        else if (roles[0] == SealClaims.TownshipClerk && string.IsNullOrWhiteSpace(township))
            problem = "a township-clerk token needs a 'township' claim";
        return problem is null ? new ApiCaller(name!, roles[0], department, township) : null;
    }

    /// <summary>The caller of an authenticated request; the token was checked on the way in.</summary>
    public static ApiCaller Of(HttpContext context) =>
        From(context.User, out var problem) ?? throw new InvalidOperationException(problem);
}
