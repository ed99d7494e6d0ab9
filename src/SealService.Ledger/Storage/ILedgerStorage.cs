using SealService.Ledger.Signing;
using SealService.Ledger.Verification;

namespace SealService.Ledger.Storage;

/// <summary>
/// Where a ledger's integrated entries and signed heads are kept (the embedded SQLite file, or a PostgreSQL database shared
/// by several nodes). Reads are synchronous: the tree lock is held while catching up.
/// </summary>
public interface ILedgerStorage : IDisposable
{
    /// <summary>A name for messages and the start-up log (a file path, or "postgres").</summary>
    string Describe { get; }

    /// <summary>Rows with <paramref name="fromIndex"/> ≤ idx &lt; <paramref name="toExclusive"/>, in index order, streamed.</summary>
    IEnumerable<StoredEntry> ReadEntries(long fromIndex, long toExclusive = long.MaxValue);

    IReadOnlyList<SignedTreeHead> ReadTreeHeads(long fromSize, long toSize, int limit);

    SignedTreeHead? ReadLatestTreeHead();

    /// <summary>Stores a signed head; a head of the same size already stored is kept.</summary>
    void InsertTreeHead(SignedTreeHead head);

    /// <summary>
    /// The stored tree of the first <paramref name="size"/> leaves, level by level (see <see cref="Merkle.MerkleTree.Load"/>),
    /// so a node starts without reading and hashing every entry; null when this storage keeps no such hashes or they do
    /// not cover <paramref name="size"/>.
    /// </summary>
    IReadOnlyList<byte[]>? ReadTreeLevels(long size);

    /// <summary>Everything read from one consistent snapshot (for the full verification).</summary>
    ILedgerSource OpenSnapshot();

    /// <summary>
    /// Called once the ledger is open. A storage whose entries are integrated by a sequencer starts it here, and calls
    /// <see cref="SealLedger.NotifyCommitted"/> after each batch; the embedded file has nothing to start.
    /// </summary>
    void Start(SealLedger ledger);
}

/// <summary>The ledger tables in an SQLite file (WAL, synchronous=FULL), a connection per call.</summary>
public sealed class SqliteLedgerStorage(string databasePath) : ILedgerStorage
{
    public string DatabasePath => databasePath;

    public string Describe => databasePath;

    public IEnumerable<StoredEntry> ReadEntries(long fromIndex, long toExclusive = long.MaxValue)
    {
        using var connection = LedgerDatabase.Open(databasePath);
        foreach (var row in LedgerDatabase.ReadEntries(connection, fromIndex, null, toExclusive))
        {
            yield return row;
        }
    }

    public IReadOnlyList<SignedTreeHead> ReadTreeHeads(long fromSize, long toSize, int limit)
    {
        using var connection = LedgerDatabase.Open(databasePath);
        return LedgerDatabase.ReadTreeHeads(connection, fromSize, toSize, limit);
    }

    public SignedTreeHead? ReadLatestTreeHead()
    {
        using var connection = LedgerDatabase.Open(databasePath);
        return LedgerDatabase.ReadLatestTreeHead(connection);
    }

    public void InsertTreeHead(SignedTreeHead head)
    {
        using var connection = LedgerDatabase.Open(databasePath);
        LedgerDatabase.InsertTreeHead(connection, head);
    }

    public ILedgerSource OpenSnapshot() => new SqliteLedgerSource(databasePath);

    public IReadOnlyList<byte[]>? ReadTreeLevels(long size) => null;

    public void Start(SealLedger ledger)
    {
    }

    public void Dispose()
    {
    }
}
