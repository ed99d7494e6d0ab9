namespace SealService.Api.Errors;

/// <summary>Collects per-field validation errors for a VALIDATION_FAILED response.</summary>
public sealed class FieldErrors
{
    public const int MaxNameLength = 200;
    public const int MaxIdLength = 100;
    public const int MaxTextLength = 2000;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>A required string, trimmed, at most <paramref name="max"/> characters.</summary>
    public void Required(string field, string? value, int max = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(field, "is required");
        else
            Optional(field, value, max);
    }

    public void Optional(string field, string? value, int max = MaxNameLength)
    {
        if (value is not null && value.Length > max)
            Add(field, $"must be at most {max} characters (got {value.Length})");
    }

    public void Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
            Add(field, "is required");
    }

    public void MaxCount<T>(string field, IReadOnlyCollection<T>? values, int max)
    {
        if (values is not null && values.Count > max)
            Add(field, $"must have at most {max} entries (got {values.Count})");
    }

    public IResult? ToResult() =>
        Any ? ApiProblems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
}
