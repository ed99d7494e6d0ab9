using System.Globalization;
using System.Text.Json;

namespace SealService.Pdf.Rendering;

/// <summary>Checks field values against a template and turns them into the text to print.</summary>
internal static class FieldBinder
{
    internal const int MaxFieldCount = 200;

    /// <param name="bound">Values of bound fields by binding name; null checks the caller's fields only (no render).</param>
    internal static Dictionary<string, string> Bind(
        DocumentTemplate template, IReadOnlyDictionary<string, JsonElement> fields, Func<int, bool> covers,
        IReadOnlyDictionary<string, string>? bound)
    {
        if (fields.Count > MaxFieldCount)
        {
            throw new TemplateException(RenderErrorCodes.DataInvalid, $"too many fields ({fields.Count} > {MaxFieldCount})");
        }

        foreach (var name in fields.Keys)
        {
            var declared = template.FindField(name);
            if (declared is null)
            {
                throw new TemplateException(
                    RenderErrorCodes.FieldUnknown, $"template {template.Id} has no field \"{Clip(name)}\"", Clip(name));
            }

            if (declared.Bind is not null)
            {
                throw new TemplateException(RenderErrorCodes.FieldBound,
                    $"field {declared.DisplayName} is filled from the registry ({declared.Bind}); a request may not set it", name);
            }
        }

        var values = new Dictionary<string, string>(template.Fields.Count + 3, StringComparer.Ordinal);
        foreach (var field in template.Fields)
        {
            if (field.Bind is { } binding)
            {
                values[field.Name] = bound is null ? string.Empty : BoundValue(field, binding, bound, covers);
                continue;
            }

            var present = fields.TryGetValue(field.Name, out var element)
                && element.ValueKind != JsonValueKind.Null
                && !(element.ValueKind == JsonValueKind.String && element.GetString()!.Trim().Length == 0);
            if (!present)
            {
                if (field.Required)
                {
                    throw new TemplateException(
                        RenderErrorCodes.FieldMissing, $"required field {field.DisplayName} is missing or empty", field.Name);
                }

                values[field.Name] = string.Empty;
                continue;
            }

            var text = Format(field, element);
            foreach (var rune in text.EnumerateRunes())
            {
                if (rune.Value != '\n' && !covers(rune.Value))
                {
                    throw Invalid(field, $"character U+{rune.Value:X4} cannot be printed (not in the document font)");
                }
            }

            values[field.Name] = text;
        }

        return values;
    }

    private static string BoundValue(TemplateField field, string binding, IReadOnlyDictionary<string, string> bound, Func<int, bool> covers)
    {
        var text = bound.GetValueOrDefault(binding)?.Trim() ?? string.Empty;
        if (text.Length == 0 && field.Required)
        {
            throw new TemplateException(RenderErrorCodes.ContextInvalid, $"the registry has no value for {field.DisplayName} ({binding})", field.Name);
        }

        if (text.Length > RenderContext.MaxBoundValueLength)
        {
            throw new TemplateException(RenderErrorCodes.ContextInvalid, $"the registry value for {field.DisplayName} is longer than {RenderContext.MaxBoundValueLength}", field.Name);
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (System.Text.Rune.IsControl(rune) || !covers(rune.Value))
            {
                throw new TemplateException(RenderErrorCodes.ContextInvalid,
                    $"the registry value for {field.DisplayName} has a character that cannot be printed (U+{rune.Value:X4})", field.Name);
            }
        }

        return text;
    }

    private static string Format(TemplateField field, JsonElement element)
    {
        switch (field.Type)
        {
            case FieldType.String:
            case FieldType.Text:
                {
                    var text = RequireString(field, element).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
                    foreach (var c in text)
                    {
                        if (char.IsControl(c) && !(c == '\n' && field.Type == FieldType.Text))
                        {
                            throw Invalid(field, "contains a control character or line break");
                        }
                    }

                    var length = text.EnumerateRunes().Count();
                    if (length > field.EffectiveMaxLength)
                    {
                        throw Invalid(field, $"is {length} characters long; at most {field.EffectiveMaxLength} allowed");
                    }

                    return text;
                }

            case FieldType.Date:
                {
                    var text = RequireString(field, element);
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                        || date.Year < 1900 || date.Year > 2199)
                    {
                        throw Invalid(field, "must be a date yyyy-MM-dd");
                    }

                    return field.DateStyle == DateStyle.Chinese ? ChineseDate.Format(date) : ChineseDate.FormatArabic(date);
                }

            case FieldType.Integer:
            case FieldType.Number:
                {
                    if (element.ValueKind != JsonValueKind.Number || !element.TryGetDecimal(out var number))
                    {
                        throw Invalid(field, "must be a JSON number");
                    }

                    if (field.Type == FieldType.Integer && number != decimal.Truncate(number))
                    {
                        throw Invalid(field, "must be a whole number");
                    }

                    if ((field.Min is { } min && number < min) || (field.Max is { } max && number > max))
                    {
                        throw Invalid(field, $"must be between {field.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {field.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}");
                    }

                    return number.ToString(CultureInfo.InvariantCulture);
                }

            case FieldType.Choice:
                {
                    var text = RequireString(field, element);
                    if (field.Options is null || !field.Options.Contains(text, StringComparer.Ordinal))
                    {
                        throw Invalid(field, $"must be one of: {string.Join("、", field.Options ?? [])}");
                    }

                    return text;
                }

            default:
                throw Invalid(field, "has an unsupported type");
        }
    }

    private static string RequireString(TemplateField field, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Invalid(field, "must be a JSON string");
        }

        var text = element.GetString()!;
        // Coarse guard before any per-character work.
        if (text.Length > 4 * field.EffectiveMaxLength + 16)
        {
            throw Invalid(field, $"is too long; at most {field.EffectiveMaxLength} characters allowed");
        }

        return text;
    }

    private static TemplateException Invalid(TemplateField field, string why) =>
        new(RenderErrorCodes.FieldInvalid, $"field {field.DisplayName} {why}", field.Name);

    private static string Clip(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
