using System.Text;

namespace SealService.Storage.Relational;

/// <summary>AND-ed conditions with their parameters, for queries whose filters are all optional.</summary>
internal sealed class SqlWhere
{
    private readonly StringBuilder _text = new("1=1");

    public List<(string Name, object? Value)> Parameters { get; } = [];

    public void Add(string clause, string name, object? value)
    {
        _text.Append(" AND ").Append(clause);
        Parameters.Add((name, value));
    }

    /// <summary>The scope shared by seal-use lists and audit packages; <paramref name="to"/> is exclusive.</summary>
    public void AddSealUseScope(string alias, string? departmentId, string? townshipId, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (departmentId is not null)
            Add($"{alias}seal_department_id = @dep", "@dep", departmentId);
        if (townshipId is not null)
            Add($"({alias}seal_township_id = @twp OR {alias}actor_township_id = @twp)", "@twp", townshipId);
        if (from is { } f)
            Add($"{alias}at_ticks >= @from", "@from", f.UtcTicks);
        if (to is { } t)
            Add($"{alias}at_ticks < @to", "@to", t.UtcTicks);
    }

    public override string ToString() => _text.ToString();
}
