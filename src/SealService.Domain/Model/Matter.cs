namespace SealService.Domain.Model;

/// <summary>Where a catalogue row came from; (File, Seq) is the import's natural key.</summary>
public sealed record CatalogueSource(string File, int Seq, int Line);

/// <summary>
/// 政务服务事项. <see cref="Name"/> and <see cref="PowerTypeText"/> are kept as printed.
/// <see cref="CatalogueMode"/>/<see cref="CatalogueSteps"/> record what the catalogue says about delegation
/// (a hint for building agreements; the agreement itself is what the policy reads).
/// </summary>
public sealed record Matter
{
    public required string Id { get; init; }

    public required string RegionId { get; init; }

    /// <summary>Owning (delegating) department.</summary>
    public required string DepartmentId { get; init; }

    public string? SupervisingDepartmentId { get; init; }

    public required string Name { get; init; }

    /// <summary>事项编码 as printed; absent for many rows, formats vary (12/13 digits, trailing Y).</summary>
    public string? Code { get; init; }

    public required PowerType PowerType { get; init; }

    /// <summary>Second category of a compound type such as 公共服务（行政给付）.</summary>
    public PowerType? SecondaryPowerType { get; init; }

    public required string PowerTypeText { get; init; }

    public MatterLevel Level { get; init; } = MatterLevel.Township;

    public DelegationMode? CatalogueMode { get; init; }

    public IReadOnlyList<CaseStep> CatalogueSteps { get; init; } = [];

    /// <summary>Handling text as printed (泽州县 lists), e.g. 乡级负责受理、审核.</summary>
    public string? Handling { get; init; }

    public string? Remark { get; init; }

    public CatalogueSource? Source { get; init; }
}
