namespace SealService.Domain.Model;

/// <summary>Maps enums to their stable wire names (kebab-case) and back.</summary>
public static class Wire
{
    private static readonly (CaseStep Step, string Name)[] Steps =
    [
        (CaseStep.Accept, "accept"), (CaseStep.InitialCheck, "initial-check"), (CaseStep.Review, "review"),
        (CaseStep.ReCheck, "re-check"), (CaseStep.Decide, "decide"), (CaseStep.Issue, "issue"),
    ];

    public static string Name(this CaseStep step) => Steps.First(s => s.Step == step).Name;

    public static bool TryParseStep(string? text, out CaseStep step)
    {
        foreach (var (s, n) in Steps)
        {
            if (string.Equals(n, text, StringComparison.Ordinal))
            {
                step = s;
                return true;
            }
        }

        step = default;
        return false;
    }

    public static string Name<T>(T value)
        where T : struct, Enum => Kebab(value.ToString());

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(Kebab(v.ToString()), text, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Kebab(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
