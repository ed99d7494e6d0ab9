using SealService.Domain.Model;

namespace SealService.Domain.Catalogue;

/// <summary>One catalogue file, fully parsed and validated, ready to be written atomically.</summary>
public sealed record CatalogueBatch(
    string File,
    Region Region,
    IReadOnlyList<Department> Departments,
    IReadOnlyList<Matter> Matters);

public sealed record CatalogueImportResult(string File, int Inserted, int Updated, int Unchanged)
{
    public int Total => Inserted + Updated + Unchanged;
}
