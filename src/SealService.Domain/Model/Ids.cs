namespace SealService.Domain.Model;

/// <summary>Registry ids: short, readable, URL-safe. Demo data uses fixed ids; new entities get a prefix plus random hex.</summary>
public static class Ids
{
    public const int MaxLength = 64;

    public static bool IsValid(string id)
    {
        if (id.Length is 0 or > MaxLength || !IsLowerAlnum(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!IsLowerAlnum(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static bool IsLowerAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}

/// <summary>Limits shared by validation and storage.</summary>
public static class Limits
{
    public const int Name = 200;
    public const int Text = 2000;
    public const int Reason = 500;
    public const int Person = 100;
    public const int Code = 32;
    public const int MattersPerAgreement = 500;
    public const int PageSizeMax = 500;
}
