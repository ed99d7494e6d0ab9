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
    /// This node's stable name among those sharing the database (owner of its document-number blocks; a restart voids only
    /// its own). Empty → the machine name. Ignored by SQLite (one node).
    /// </summary>
    public string? NodeId { get; set; }

    public string EffectiveNodeId => string.IsNullOrWhiteSpace(NodeId) ? Environment.MachineName : NodeId.Trim();
}

/// <summary>What the host decides about the stamping store: numbers reserved per block, and the ledger journal (or none).</summary>
public sealed record StampingStoreSettings(int NumberBlockSize = RelationalStampingStore.DefaultNumberBlockSize, ISealUseJournal? Journal = null);
