namespace SealService.Domain.Model;

/// <summary>县/区.</summary>
public sealed record Region(string Id, string Name, string? City);

/// <summary>County department (delegating or supervising).</summary>
public sealed record Department(string Id, string RegionId, string Name);

/// <summary>镇 / 街道.</summary>
public sealed record Township(string Id, string RegionId, string Name, TownshipKind Kind);

/// <summary>村/社区便民服务站: may pre-check or help file, never decides.</summary>
public sealed record VillageStation(string Id, string TownshipId, string Name);
