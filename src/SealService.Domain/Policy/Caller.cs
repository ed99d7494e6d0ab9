using SealService.Domain.Model;

namespace SealService.Domain.Policy;

/// <summary>
/// Who is asking, as established by authentication. A township clerk carries a township id (and a village
/// station id when working at a 便民服务站); a department officer carries a department id.
/// </summary>
public sealed record Caller(
    CallerRole Role,
    string PersonName,
    string? DepartmentId = null,
    string? TownshipId = null,
    string? VillageStationId = null)
{
    public override string ToString() => $"{PersonName} ({Wire.Name(Role)})";
}
