using System.Text.RegularExpressions;

namespace SealService.Keys.Store;

/// <summary>Key references every store accepts: <c>seals/&lt;sealId&gt;</c>, or a bare name such as <c>ledger</c>.</summary>
public static partial class KeyReferences
{
    public const string SealPrefix = "seals/";

    public static void Require(string? keyReference)
    {
        if (keyReference is null || !Pattern().IsMatch(keyReference))
        {
            throw new KeysException(KeyErrorCodes.KeyReferenceInvalid, "A key reference looks like 'seals/<sealId>' (a-z, 0-9, '-', '_', '.'; at most 100 characters).");
        }
    }

    public static bool IsValid(string? keyReference) => keyReference is not null && Pattern().IsMatch(keyReference);

    [GeneratedRegex("^(seals/)?[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex Pattern();
}
