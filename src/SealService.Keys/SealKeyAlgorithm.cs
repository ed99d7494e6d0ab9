namespace SealService.Keys;

/// <summary>Key algorithms a seal can use. Each fixes its hash: SHA-256 for RSA/ECDSA, SM3 for SM2.</summary>
public enum SealKeyAlgorithm
{
    /// <summary>RSA-2048, PKCS#1 v1.5, SHA-256 (default).</summary>
    Rsa,

    /// <summary>ECDSA on P-256 with SHA-256.</summary>
    Ecdsa,

    /// <summary>SM2 with SM3 (GM/T 0003, 0009, 0010).</summary>
    Sm2,
}

public static class SealKeyAlgorithmNames
{
    public static SealKeyAlgorithm Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "rsa" => SealKeyAlgorithm.Rsa,
        "ecdsa" or "ec" or "p256" => SealKeyAlgorithm.Ecdsa,
        "sm2" => SealKeyAlgorithm.Sm2,
        _ => throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, $"Unknown key algorithm '{value}' (rsa, ecdsa or sm2)."),
    };

    public static string ToName(this SealKeyAlgorithm algorithm) => algorithm switch
    {
        SealKeyAlgorithm.Rsa => "rsa",
        SealKeyAlgorithm.Ecdsa => "ecdsa",
        _ => "sm2",
    };
}
