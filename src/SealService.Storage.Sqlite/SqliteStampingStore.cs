using SealService.Storage.Relational;

namespace SealService.Storage.Sqlite;

/// <summary>
/// The stamping store in the registry's SQLite file, so one transaction covers a document, its seal use and its ledger
/// entry. One node owns the file: a restart voids every open number block.
/// </summary>
public sealed class SqliteStampingStore(SqliteRegistryStore registry, ISealUseJournal? journal = null, int numberBlockSize = RelationalStampingStore.DefaultNumberBlockSize)
    : RelationalStampingStore(registry, journal, numberBlockSize, node: "");
