using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger.Verification;

/// <summary>What the verifier reads: the rows in index order and the stored signed heads.</summary>
public interface ILedgerSource : IDisposable
{
    IEnumerable<StoredEntry> ReadEntries();

    IReadOnlyList<SignedTreeHead> ReadTreeHeads();
}

/// <summary>The live SQLite store, read in one snapshot (a read transaction).</summary>
public sealed class SqliteLedgerSource(string databasePath) : ILedgerSource, IDisposable
{
    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection = OpenSnapshot(databasePath);

    public IEnumerable<StoredEntry> ReadEntries() => LedgerDatabase.ReadEntries(_connection, 0);

    public IReadOnlyList<SignedTreeHead> ReadTreeHeads() => LedgerDatabase.ReadTreeHeads(_connection);

    public void Dispose()
    {
        // Connections are pooled: end the snapshot's raw BEGIN, or the next user of this connection inherits it.
        LedgerDatabase.Execute(_connection, "ROLLBACK;");
        _connection.Dispose();
    }

    private static Microsoft.Data.Sqlite.SqliteConnection OpenSnapshot(string path)
    {
        if (!File.Exists(path))
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"No database at {path}.");
        }

        var connection = LedgerDatabase.Open(path);
        // BEGIN + a first read pins one WAL snapshot for everything read afterwards.
        LedgerDatabase.Execute(connection, "BEGIN; SELECT COUNT(*) FROM ledger_entries;");
        return connection;
    }
}
