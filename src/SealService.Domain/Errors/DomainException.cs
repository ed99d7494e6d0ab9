using SealService.Domain.Model;

namespace SealService.Domain.Errors;

/// <summary>Stable machine codes for registry errors (the API maps them to ProblemDetails `code`).</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string InvalidStateTransition = "INVALID_STATE_TRANSITION";
    public const string Forbidden = "FORBIDDEN";
    public const string CatalogueRowInvalid = "CATALOGUE_ROW_INVALID";
    public const string CatalogueUnknownFormat = "CATALOGUE_UNKNOWN_FORMAT";
}

/// <summary>
/// A registry rule was broken. <see cref="Code"/> is stable; <see cref="Errors"/> names the offending
/// fields (camelCase, as on the wire) for VALIDATION_FAILED.
/// </summary>
public class DomainException : Exception
{
    public DomainException(string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Code = code;
        Errors = errors ?? new Dictionary<string, string[]>();
    }

    public string Code { get; }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public static DomainException NotFound(string kind, string id) =>
        new(ErrorCodes.NotFound, $"{kind} '{id}' 不存在 (not found)");

    public static DomainException Conflict(string message) => new(ErrorCodes.Conflict, message);

    public static DomainException InvalidTransition(string kind, string id, string from, string action) =>
        new(ErrorCodes.InvalidStateTransition, $"{kind} '{id}' 当前状态为 {from}，不能执行 {action} (invalid state transition)");

    public static DomainException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
}

/// <summary>Collects field errors and throws one VALIDATION_FAILED at the end.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public Validator Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "必填 (required)");
        }

        return MaxLength(field, value, maxLength);
    }

    public Validator MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"长度不能超过 {maxLength} (at most {maxLength} characters)");
        }

        if (value is not null && value.Any(char.IsControl))
        {
            Add(field, "不能包含控制字符 (no control characters)");
        }

        return this;
    }

    public Validator Id(string field, string? value)
    {
        if (value is null || !Ids.IsValid(value))
        {
            Add(field, "标识无效：小写字母、数字和连字符，最长 64 (lowercase letters, digits, '-', max 64)");
        }

        return this;
    }

    public void ThrowIfAny()
    {
        if (!HasErrors)
        {
            return;
        }

        var errors = _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        var fields = string.Join(", ", errors.Keys);
        throw new DomainException(ErrorCodes.ValidationFailed, $"输入无效 (validation failed): {fields}", errors);
    }
}
