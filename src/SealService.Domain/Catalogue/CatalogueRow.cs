namespace SealService.Domain.Catalogue;

/// <summary>One CSV record addressed by column name, with errors that carry file and line.</summary>
internal sealed class CatalogueRow(string file, int line, string[] header, List<string> fields)
{
    public int Line => line;

    public string Required(string column) =>
        Optional(column) ?? throw Fail($"列 {column} 不能为空 (column {column} is empty)");

    public string? Optional(string column)
    {
        var value = fields[Array.IndexOf(header, column)];
        return value.Length == 0 ? null : value;
    }

    public CatalogueException Fail(string message) => CatalogueException.At(file, line, message);
}
