namespace SealService.Pdf.Rendering;

/// <summary>
/// Greedy line breaking for Chinese text: a break is allowed between any two Han characters,
/// Latin words and numbers (and URLs) stay whole unless longer than a line, and simple kinsoku
/// keeps closing punctuation off the start of a line and opening brackets off its end by
/// carrying the neighbouring character along (推出).
/// </summary>
internal static class LineBreaker
{
    private const string NoLineStart = "，。、；：？！）》」』】〕〉〗〙”’·～%,.;:?!)]}>";
    private const string NoLineEnd = "（《「『【〔〈〖〘“‘([{<";

    /// <summary>Breaks one paragraph; returns [start, end) code point ranges of each line.</summary>
    internal static List<(int Start, int End)> Break(
        ReadOnlySpan<int> codePoints, ReadOnlySpan<float> advances, float firstLineWidth, float lineWidth)
    {
        var lines = new List<(int, int)>();
        if (codePoints.Length == 0)
        {
            lines.Add((0, 0));
            return lines;
        }

        var segments = Segments(codePoints);
        var lineStart = 0;
        var used = 0f;
        var available = firstLineWidth;
        const float Slack = 0.01f;
        foreach (var (start, end) in segments)
        {
            var width = Sum(advances, start, end);
            if (used + width <= available + Slack)
            {
                used += width;
                continue;
            }

            if (start > lineStart)
            {
                lines.Add((lineStart, start));
                lineStart = start;
                used = 0;
                available = lineWidth;
                if (width <= available + Slack)
                {
                    used = width;
                    continue;
                }
            }

            // A segment wider than a whole line (a long URL): cut it where it overflows.
            for (var i = start; i < end; i++)
            {
                if (used + advances[i] > available + Slack && i > lineStart)
                {
                    lines.Add((lineStart, i));
                    lineStart = i;
                    used = 0;
                    available = lineWidth;
                }

                used += advances[i];
            }
        }

        lines.Add((lineStart, codePoints.Length));
        return lines;
    }

    private static List<(int Start, int End)> Segments(ReadOnlySpan<int> cps)
    {
        var segments = new List<(int Start, int End)>(cps.Length);
        var i = 0;
        while (i < cps.Length)
        {
            var start = i;
            var cp = cps[i];
            if (IsWordChar(cp))
            {
                while (i < cps.Length && IsWordChar(cps[i]))
                {
                    i++;
                }
            }
            else if (cp is '—' or '…')
            {
                while (i < cps.Length && cps[i] == cp)
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            if (segments.Count > 0
                && (IsNoStart(cps[start]) || IsNoEnd(cps[segments[^1].End - 1])))
            {
                segments[^1] = (segments[^1].Start, i);
            }
            else
            {
                segments.Add((start, i));
            }
        }

        return segments;
    }

    internal static bool IsWordChar(int cp) =>
        cp is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '_' or '/' or '.' or ':' or '?' or '=' or '&' or '#' or '+' or '@' or '~' or '%';

    private static bool IsNoStart(int cp) => cp == ' ' || (cp <= 0xFFFF && NoLineStart.Contains((char)cp, StringComparison.Ordinal));

    private static bool IsNoEnd(int cp) => cp <= 0xFFFF && NoLineEnd.Contains((char)cp, StringComparison.Ordinal);

    internal static float Sum(ReadOnlySpan<float> advances, int start, int end)
    {
        var sum = 0f;
        for (var i = start; i < end; i++)
        {
            sum += advances[i];
        }

        return sum;
    }
}
