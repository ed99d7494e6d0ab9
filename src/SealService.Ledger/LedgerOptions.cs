namespace SealService.Ledger;

/// <summary>Options of the ledger (bind from configuration section "Ledger").</summary>
public sealed class LedgerOptions
{
    /// <summary>File name used when only a data folder is given (the registry's database file).</summary>
    public const string DefaultDatabaseFileName = "sealservice.db";

    /// <summary>Largest entry accepted (a seal-use record is well under 4 KiB).</summary>
    public const int MaxEntrySize = 64 * 1024;

    /// <summary>SQLite file holding the ledger tables (may be the registry's own file).</summary>
    public string DatabasePath { get; set; } = DefaultDatabaseFileName;

    /// <summary>Sign a new tree head at least this often while there are unsigned entries. Zero turns the background issuer off.</summary>
    public TimeSpan TreeHeadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Also sign as soon as this many entries are not yet covered by a head.</summary>
    public int TreeHeadEveryEntries { get; set; } = 1000;

    /// <summary>Most appends committed in one transaction by the group-commit writer.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Ledger signing key (PKCS#12).</summary>
    public string KeyPath { get; set; } = Path.Combine("certs-dev", "ledger.p12");

    /// <summary>
    /// The log's name in its C2SP checkpoints (first line, and the note signature's key name): the same on every node,
    /// unique among the logs a witness follows, e.g. "seal.county.gov.cn/seal-use-ledger".
    /// </summary>
    public string CheckpointOrigin { get; set; } = "sealservice.local/seal-use-ledger";

    /// <summary>Ed25519 private key (PKCS#8 PEM) that signs checkpoints; empty outside Development = no checkpoints.</summary>
    public string? CheckpointKeyPath { get; set; }

    /// <summary>PKCS#12 passphrase; from secrets in production.</summary>
    public string KeyPassphrase { get; set; } = "";
}
