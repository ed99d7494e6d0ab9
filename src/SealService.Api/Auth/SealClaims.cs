namespace SealService.Api.Auth;

/// <summary>
/// Claim names and role values carried by SealService tokens. Shared (as a linked file) by the
/// host, which reads them, and sealctl, which mints development tokens.
/// </summary>
internal static class SealClaims
{
    public const string Name = "name";
    public const string Role = "role";
    public const string Department = "dept";
    public const string Township = "township";

    public const string RegistryAdmin = "registry-admin";
    public const string DepartmentOfficer = "department-officer";
    public const string TownshipClerk = "township-clerk";
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> AllRoles =
        [RegistryAdmin, DepartmentOfficer, TownshipClerk, Auditor];

    public const string DevIssuer = "sealservice-dev";
    public const string DevAudience = "sealservice";
}
