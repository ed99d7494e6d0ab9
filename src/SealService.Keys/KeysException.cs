namespace SealService.Keys;

/// <summary>A key, certificate, CMS or time-stamp failure with a stable machine code.</summary>
public sealed class KeysException(string code, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>Stable error codes raised by this library.</summary>
public static class KeyErrorCodes
{
    public const string KeyReferenceInvalid = "KEY_REFERENCE_INVALID";
    public const string KeyNotFound = "KEY_NOT_FOUND";
    public const string KeyExists = "KEY_EXISTS";
    public const string KeyPassphraseInvalid = "KEY_PASSPHRASE_INVALID";
    public const string KeyFileInvalid = "KEY_FILE_INVALID";
    public const string KeyAlgorithmUnsupported = "KEY_ALGORITHM_UNSUPPORTED";
    public const string DevPkiMissing = "DEV_PKI_MISSING";
    public const string DevPkiExists = "DEV_PKI_EXISTS";
    public const string SealInputInvalid = "SEAL_INPUT_INVALID";
    public const string DigestInvalid = "DIGEST_INVALID";
    public const string TsaNotConfigured = "TSA_NOT_CONFIGURED";
    public const string TsaTimeout = "TSA_TIMEOUT";
    public const string TsaUnavailable = "TSA_UNAVAILABLE";
    public const string TsaRejected = "TSA_REJECTED";
    public const string TsaResponseInvalid = "TSA_RESPONSE_INVALID";
    public const string TsaTokenTooLarge = "TSA_TOKEN_TOO_LARGE";
    public const string StampScopeInvalid = "STAMP_SCOPE_INVALID";
    public const string NotASealCertificate = "CERT_NOT_SEAL_PROFILE";

    /// <summary>The PKCS#11 module, slot or token cannot be used (missing, wrong PIN, removed); the message names which.</summary>
    public const string TokenUnavailable = "TOKEN_UNAVAILABLE";

    /// <summary>The token refused a key operation (the PKCS#11 return value is in the message).</summary>
    public const string TokenOperationFailed = "TOKEN_OPERATION_FAILED";
}
