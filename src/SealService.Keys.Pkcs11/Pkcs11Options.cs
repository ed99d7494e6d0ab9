using System.ComponentModel.DataAnnotations;

namespace SealService.Keys.Pkcs11;

/// <summary>How keys are matched to a key reference such as <c>seals/seal-x</c>.</summary>
public enum Pkcs11KeyMatch
{
    /// <summary>CKA_LABEL equals the key reference.</summary>
    Label,

    /// <summary>CKA_ID equals the UTF-8 bytes of the key reference.</summary>
    Id,
}

/// <summary>Settings under <c>Keys:Pkcs11</c> (see docs/keys.md).</summary>
public sealed class Pkcs11Options
{
    /// <summary>The module, e.g. /usr/lib/softhsm/libsofthsm2.so.</summary>
    [Required]
    public string Library { get; set; } = "";

    /// <summary>The token's label; or <see cref="SlotId"/>. One of the two is required.</summary>
    public string? TokenLabel { get; set; }

    public ulong? SlotId { get; set; }

    /// <summary>User PIN; prefer <see cref="PinFile"/> (a file readable by the service only) outside tests.</summary>
    public string? Pin { get; set; }

    /// <summary>File whose first line is the user PIN.</summary>
    public string? PinFile { get; set; }

    public Pkcs11KeyMatch Match { get; set; } = Pkcs11KeyMatch.Label;

    /// <summary>Optional PEM file with the CA certificates above the keys' certificates (those not stored in the token).</summary>
    public string? ChainFile { get; set; }

    /// <summary>Sessions kept open for signing; a signature waits for a free one beyond this.</summary>
    [Range(1, 256)]
    public int MaxSessions { get; set; } = 8;

    /// <summary>SM2 distinguishing ID (only for SM2 tokens; SoftHSM2 has no SM2).</summary>
    public string Sm2DistinguishingId { get; set; } = Signing.Sm2.DefaultId;

    internal string ReadPin()
    {
        if (!string.IsNullOrEmpty(PinFile))
        {
            if (!string.IsNullOrEmpty(Pin))
            {
                throw new KeysException(KeyErrorCodes.TokenUnavailable, "Keys:Pkcs11: set Pin or PinFile, not both.");
            }

            try
            {
                return File.ReadLines(PinFile).FirstOrDefault()?.Trim() is { Length: > 0 } pin
                    ? pin
                    : throw new KeysException(KeyErrorCodes.TokenUnavailable, $"The PIN file {PinFile} is empty.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KeysException(KeyErrorCodes.TokenUnavailable, $"The PIN file {PinFile} cannot be read: {e.Message}");
            }
        }

        return string.IsNullOrEmpty(Pin)
            ? throw new KeysException(KeyErrorCodes.TokenUnavailable, "Keys:Pkcs11: Pin or PinFile is required.")
            : Pin;
    }
}
