namespace SealService.Storage.Relational;

/// <summary>Section "Storage": which adapter holds the registry and the stamps, and how this node takes part.</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the default: one file in the data folder) or <c>postgres</c> (several nodes).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>For <c>postgres</c>: an Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A readable name for this node among those sharing the database (empty → the machine name). Each process start adds
    /// a random suffix, so two nodes never share an owner name, even on one machine. Ignored by SQLite (one node).
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// How long a node that stopped beating still counts as alive (PostgreSQL). After that any node voids the unused
    /// numbers of its blocks and frees its idempotency holds; a node beats five times per lease. 1–3600 (checked by the host).
    /// </summary>
    public double NodeLeaseSeconds { get; set; } = 15;

    /// <summary>This process's owner name: <see cref="NodeId"/> (or the machine name), a slash and 8 random hex digits.</summary>
    public string ProcessNodeName() =>
        $"{(string.IsNullOrWhiteSpace(NodeId) ? Environment.MachineName : NodeId.Trim())}/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
}

/// <summary>What the host decides about the stamping store: numbers reserved per block, and the ledger journal (or none).</summary>
public sealed record StampingStoreSettings(int NumberBlockSize = RelationalStampingStore.DefaultNumberBlockSize, ISealUseJournal? Journal = null);
