namespace SealService.Domain.Model;

/// <summary>PAdES baseline level of a stamp's signature (ETSI EN 319 142-1). Wire names: B-B, B-T, B-LT, B-LTA.</summary>
public enum SignatureLevel
{
    /// <summary>The signature alone.</summary>
    BaselineB,

    /// <summary>With a signature time-stamp.</summary>
    BaselineT,

    /// <summary>B-T plus a DSS with the OCSP answers or CRLs that validate it after its certificates expire.</summary>
    BaselineLt,

    /// <summary>B-LT plus a document time-stamp over it (renewed by archives before it expires).</summary>
    BaselineLta,
}

public static class SignatureLevels
{
    private static readonly string[] Names = ["B-B", "B-T", "B-LT", "B-LTA"];

    public const string Expected = "B-B, B-T, B-LT or B-LTA";

    public static string Name(this SignatureLevel level) => Names[(int)level];

    public static bool TryParse(string? text, out SignatureLevel level)
    {
        var i = Array.FindIndex(Names, n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        level = i < 0 ? default : (SignatureLevel)i;
        return i >= 0;
    }
}
