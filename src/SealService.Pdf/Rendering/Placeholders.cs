namespace SealService.Pdf.Rendering;

/// <summary>"{name}" placeholders in template text. No escapes: braces are reserved.</summary>
internal static class Placeholders
{
    /// <summary>Context values every template may use.</summary>
    internal const string DocumentNumber = "documentNumber";
    internal const string IssueDate = "issueDate";
    internal const string VerificationUrl = "verificationUrl";

    internal static readonly string[] ContextNames = [DocumentNumber, IssueDate, VerificationUrl];

    /// <summary>Names referenced by <paramref name="text"/>; throws on unbalanced braces.</summary>
    internal static IEnumerable<string> Names(string text)
    {
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            var close = text.IndexOf('}', at);
            if (open < 0)
            {
                if (close >= 0)
                {
                    throw new FormatException($"unmatched '}}' in \"{text}\"");
                }

                yield break;
            }

            var end = text.IndexOf('}', open + 1);
            var nested = text.IndexOf('{', open + 1);
            if (end < 0 || (nested >= 0 && nested < end) || (close >= 0 && close < open))
            {
                throw new FormatException($"malformed placeholder in \"{text}\"");
            }

            yield return text[(open + 1)..end];
            at = end + 1;
        }
    }

    /// <summary>Replaces each placeholder with its value (absent values become empty).</summary>
    internal static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 32);
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            if (open < 0)
            {
                builder.Append(text, at, text.Length - at);
                break;
            }

            var end = text.IndexOf('}', open + 1);
            builder.Append(text, at, open - at);
            var name = text[(open + 1)..end];
            if (values.TryGetValue(name, out var value))
            {
                builder.Append(value);
            }

            at = end + 1;
        }

        return builder.ToString();
    }
}
