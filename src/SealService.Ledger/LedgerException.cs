namespace SealService.Ledger;

/// <summary>Stable machine codes of the ledger's errors.</summary>
public static class LedgerErrorCodes
{
    public const string TreeHeadNotFound = "TREE_HEAD_NOT_FOUND";
    public const string IndexOutOfRange = "INDEX_OUT_OF_RANGE";
    public const string TreeSizeInvalid = "TREE_SIZE_INVALID";
    public const string RangeInvalid = "RANGE_INVALID";
    public const string EntryEmpty = "ENTRY_EMPTY";
    public const string EntryTooLarge = "ENTRY_TOO_LARGE";
    public const string LedgerClosed = "LEDGER_CLOSED";
    public const string LedgerTampered = "LEDGER_TAMPERED";
    public const string LedgerKeyMismatch = "LEDGER_KEY_MISMATCH";
    public const string LedgerKeyInvalid = "LEDGER_KEY_INVALID";
    public const string CanonicalJsonInvalid = "CANONICAL_JSON_INVALID";
    public const string PackageInvalid = "LEDGER_PACKAGE_INVALID";
}

/// <summary>Every ledger failure, with a stable <see cref="Code"/> (see <see cref="LedgerErrorCodes"/>).</summary>
public sealed class LedgerException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
