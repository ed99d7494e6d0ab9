using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger;

/// <summary>
/// The append-only seal-use log: stored rows (<see cref="ILedgerStorage"/>) + an in-memory Merkle tree + signed tree heads.
/// In the embedded SQLite file, appends go through one group-commit writer (<see cref="AppendAsync"/>) or through the
/// caller's own transaction (<see cref="AppendInTransaction"/> then <see cref="NotifyCommitted"/>), and indexes are dense
/// and in commit order because they are assigned under SQLite's write lock. On a shared database a sequencer integrates
/// queued entries and calls <see cref="NotifyCommitted"/>; only the node that holds the sequencer signs heads
/// (<see cref="IssuesHeads"/>), and every node serves proofs from its own copy of the tree.
/// </summary>
public sealed partial class SealLedger : IAsyncDisposable
{
    private readonly LedgerOptions _options;
    private readonly LedgerSigner _signer;
    private readonly TimeProvider _time;
    private readonly MerkleTree _tree = new();
    private readonly Lock _treeLock = new();
    private readonly SemaphoreSlim _issueLock = new(1, 1);
    private readonly SemaphoreSlim _issueSignal = new(0, int.MaxValue);
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILedgerStorage _storage;
    private readonly SqliteConnection? _writerConnection;
    private Task _writer = Task.CompletedTask;
    private Task _issuer = Task.CompletedTask;
    private volatile SignedTreeHead? _latest;
    private int _disposed;
    private long _batches;
    private SqliteCommand? _insert;

    private SealLedger(LedgerOptions options, LedgerSigner signer, TimeProvider time, ILedgerStorage storage, SqliteConnection? writerConnection)
    {
        _options = options;
        _signer = signer;
        _time = time;
        _storage = storage;
        _writerConnection = writerConnection;
    }

    private TreeHeadVerifier? _treeHeadVerifier;

    private void Start()
    {
        _writer = _writerConnection is null ? _queue.Reader.Completion : Task.Run(WriterLoopAsync);
        _issuer = _options.TreeHeadInterval > TimeSpan.Zero ? Task.Run(IssuerLoopAsync) : Task.CompletedTask;
    }

    public string DatabasePath => _options.DatabasePath;

    /// <summary>Where the rows are kept (for the start-up log).</summary>
    public string StorageName => _storage.Describe;

    /// <summary>The group-commit writer (or, on a shared database, the ledger) is running; false once it has stopped or failed.</summary>
    public bool IsWriting => !_writer.IsCompleted;

    /// <summary>
    /// This node signs tree heads (the background issuer and <see cref="IssueTreeHeadAsync"/>). True for the embedded file;
    /// on a shared database the sequencer sets it while it holds the sequencer's lock, so heads come from one node.
    /// </summary>
    public bool IssuesHeads { get; set; } = true;

    /// <summary>One verifier for the ledger's key (it remembers the last head that verified).</summary>
    public TreeHeadVerifier TreeHeadVerifier => _treeHeadVerifier ??= _signer.CreateVerifier();

    public LedgerSigner Signer => _signer;

    /// <summary>Transactions the group-commit writer has committed (for monitoring and tests).</summary>
    public long CommittedBatches => Interlocked.Read(ref _batches);

    /// <summary>The latest signed head (null before the first), from memory: cheap enough for gauges.</summary>
    public SignedTreeHead? LatestTreeHead => _latest;

    /// <summary>Entries committed and loaded into the tree.</summary>
    public long Size
    {
        get
        {
            lock (_treeLock)
            {
                return _tree.Size;
            }
        }
    }

    /// <summary>Committed entries no signed head covers yet.</summary>
    public long UnsignedEntries => Size - (_latest?.TreeSize ?? 0);

    /// <summary>
    /// Opens (creating the tables if needed), rebuilds the tree from the stored entries and checks it
    /// against the latest signed head: a store that no longer matches its own signature refuses to
    /// open (LEDGER_TAMPERED) rather than sign over the change. The signer is owned by the ledger.
    /// </summary>
    public static Task<SealLedger> OpenAsync(LedgerOptions options, LedgerSigner signer, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        if (options.MaxBatchSize is < 1 or > 10_000 || options.TreeHeadEveryEntries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSize must be 1..10000 and TreeHeadEveryEntries ≥ 1.");
        }

        return Task.Run(
            () =>
            {
                var connection = LedgerDatabase.Open(options.DatabasePath);
                try
                {
                    LedgerDatabase.EnsureSchema(connection);
                    return Open(options, signer, time, new SqliteLedgerStorage(options.DatabasePath), connection);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// Opens over a storage whose entries a sequencer integrates (a database shared by several nodes): the same checks
    /// as the embedded file, then <see cref="ILedgerStorage.Start"/>. <see cref="AppendAsync"/> is not available there.
    /// </summary>
    public static Task<SealLedger> OpenAsync(ILedgerStorage storage, LedgerOptions options, LedgerSigner signer, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        return Task.Run(() => Open(options, signer, time, storage, null), cancellationToken);
    }

    private static SealLedger Open(LedgerOptions options, LedgerSigner signer, TimeProvider? time, ILedgerStorage storage, SqliteConnection? writer)
    {
        var latest = storage.ReadLatestTreeHead();
        var ledger = new SealLedger(options, signer, time ?? TimeProvider.System, storage, writer);
        lock (ledger._treeLock)
        {
            // What a signed head covers may come from stored tree hashes (the head's signature checks them below);
            // entries after it are read and hashed one by one.
            if (latest is not null && storage.ReadTreeLevels(latest.TreeSize) is { } levels)
            {
                try
                {
                    ledger._tree.Load(levels);
                }
                catch (InvalidDataException e)
                {
                    throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"The stored tree hashes are damaged ({e.Message}); run 'sealctl ledger verify'.");
                }

                ledger.LoadedFromStoredTree = latest.TreeSize;
            }

            ledger.CatchUp();
            ledger.CheckAgainst(latest);
        }

        ledger._latest = latest;
        ledger.Start();
        storage.Start(ledger);
        return ledger;
    }

    /// <summary>Opens a connection to the ledger's database with its durability pragmas (for <see cref="AppendInTransaction"/>).</summary>
    public SqliteConnection OpenConnection() => _writerConnection is null
        ? throw new NotSupportedException("this ledger's rows are not in an SQLite file")
        : LedgerDatabase.Open(_options.DatabasePath);

    /// <summary>
    /// Queues an entry for the group-commit writer; completes with its index once the batch holding
    /// it is committed (durable). Cancellation only stops waiting: a queued entry is still written.
    /// </summary>
    public Task<long> AppendAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_writerConnection is null)
        {
            throw new NotSupportedException("on a shared database entries reach the ledger through its sequencer's queue");
        }

        Validate(entry.Span);
        var pending = new PendingAppend(entry.ToArray(), MerkleHash.Leaf(entry.Span));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new LedgerException(LedgerErrorCodes.LedgerClosed, "The ledger is closed.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends inside the caller's transaction (document + seal use + ledger entry commit together).
    /// Takes SQLite's write lock at once, so the index is final if the transaction commits. After
    /// the commit call <see cref="NotifyCommitted"/>; after a rollback nothing is needed (the index
    /// is reused by the next append, so indexes stay dense).
    /// </summary>
    public long AppendInTransaction(SqliteTransaction transaction, ReadOnlySpan<byte> entry)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Validate(entry);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has no connection.", nameof(transaction));
        var leaf = MerkleHash.Leaf(entry);
        long index;
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO ledger_entries(idx, entry, leaf_hash, root_after) SELECT COALESCE(MAX(idx) + 1, 0), $e, $h, zeroblob(32) FROM ledger_entries RETURNING idx";
            insert.Parameters.AddWithValue("$e", entry.ToArray());
            insert.Parameters.AddWithValue("$h", leaf);
            index = (long)insert.ExecuteScalar()!;
        }

        var frontier = FrontierAt(index, connection, transaction);
        frontier.Append(leaf);
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE ledger_entries SET root_after = $r WHERE idx = $i";
        update.Parameters.AddWithValue("$r", frontier.RootHash());
        update.Parameters.AddWithValue("$i", index);
        update.ExecuteNonQuery();
        return index;
    }

    /// <summary>Loads entries committed outside the group-commit writer into the tree.</summary>
    public void NotifyCommitted()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_treeLock)
        {
            CatchUp();
        }

        SignalIfDue();
    }

    /// <summary>Signs a head over everything committed now (returns the latest head if nothing is new).</summary>
    public async Task<SignedTreeHead> IssueTreeHeadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _issueLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long size;
            byte[] root;
            lock (_treeLock)
            {
                CatchUp();
                size = _tree.Size;
                root = _tree.RootHash(size);
            }

            // Another node may have signed meanwhile (a sequencer that was taken over): never sign below or date before it.
            if (_storage.ReadLatestTreeHead() is { } stored && stored.TreeSize > (_latest?.TreeSize ?? 0))
            {
                _latest = stored;
            }

            if (_latest is { } latest && latest.TreeSize >= size)
            {
                return latest;
            }

            // Never date a head before the previous one, even if the clock steps back.
            var at = _time.GetUtcNow();
            if (_latest?.IssuedAt is { } previousAt && previousAt > at)
            {
                at = previousAt;
            }

            var head = _signer.Sign(size, root, at);
            _storage.InsertTreeHead(head);
            _latest = head;
            return head;
        }
        finally
        {
            _issueLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _issuer.ConfigureAwait(false);
        _insert?.Dispose();
        _writerConnection?.Dispose();
        _storage.Dispose();
        _signer.Dispose();
        _stopping.Dispose();
    }

    private static void Validate(ReadOnlySpan<byte> entry)
    {
        if (entry.IsEmpty)
        {
            throw new LedgerException(LedgerErrorCodes.EntryEmpty, "A ledger entry must not be empty.");
        }

        if (entry.Length > LedgerOptions.MaxEntrySize)
        {
            throw new LedgerException(LedgerErrorCodes.EntryTooLarge, $"A ledger entry is at most {LedgerOptions.MaxEntrySize} bytes.");
        }
    }

    private async Task<SignedTreeHead> RequireHeadAsync(long treeSize, CancellationToken cancellationToken)
    {
        if (treeSize < 1)
        {
            throw new LedgerException(LedgerErrorCodes.TreeSizeInvalid, "Tree size must be at least 1.");
        }

        var heads = await ListTreeHeadsAsync(treeSize, treeSize, 1, cancellationToken).ConfigureAwait(false);
        return heads.Count == 1
            ? heads[0]
            : throw new LedgerException(LedgerErrorCodes.TreeHeadNotFound, $"No signed tree head of size {treeSize}.");
    }

    private void EnsureLoaded(long treeSize)
    {
        if (_tree.Size < treeSize)
        {
            CatchUp();
        }

        if (_tree.Size < treeSize)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"A signed head covers {treeSize} entries but only {_tree.Size} are stored.");
        }
    }

    /// <summary>Appends committed rows beyond the tree (caller holds the tree lock). Each row's leaf hash is recomputed.</summary>
    private void CatchUp() => CatchUp(_storage.ReadEntries(_tree.Size));

    /// <summary>The same inside the SQLite writer's transaction (rows another writer committed before it took the lock).</summary>
    private void CatchUp(SqliteConnection connection, SqliteTransaction? transaction) =>
        CatchUp(LedgerDatabase.ReadEntries(connection, _tree.Size, transaction));

    private void CatchUp(IEnumerable<StoredEntry> rows)
    {
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        foreach (var row in rows)
        {
            MerkleHash.Leaf(row.Entry, leaf);
            if (row.Index != _tree.Size || !leaf.SequenceEqual(row.LeafHash))
            {
                throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"Stored entry {row.Index} is missing, out of order or altered; run 'sealctl ledger verify'.");
            }

            _tree.AppendLeafHash(leaf);
        }
    }

    private void CheckAgainst(SignedTreeHead? latest)
    {
        if (latest is null)
        {
            return;
        }

        if (!_signer.CreateVerifier().Verify(latest))
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyMismatch, $"The latest tree head (size {latest.TreeSize}) does not verify with the configured ledger key.");
        }

        if (latest.TreeSize > _tree.Size || !_tree.RootHash(latest.TreeSize).AsSpan().SequenceEqual(latest.RootHash))
        {
            throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"The stored entries no longer match the signed tree head of size {latest.TreeSize}; run 'sealctl ledger verify'.");
        }
    }

    /// <summary>Entries whose tree hashes were loaded from storage at open instead of being read and hashed (0: none).</summary>
    public long LoadedFromStoredTree { get; private set; }

    /// <summary>The tree of the first <paramref name="size"/> entries in its stored form (for a storage that keeps tree hashes).</summary>
    public List<byte[]> TreeLevels(long size)
    {
        lock (_treeLock)
        {
            if (_tree.Size < size)
            {
                CatchUp();
            }

            return _tree.Levels(size);
        }
    }

    /// <summary>
    /// The right edge of the stored tree at <paramref name="size"/> (caught up from storage first): what a sequencer needs
    /// to compute the roots of the entries it integrates next.
    /// </summary>
    public CompactRange Frontier(long size)
    {
        lock (_treeLock)
        {
            if (_tree.Size < size)
            {
                CatchUp();
            }

            return size <= _tree.Size
                ? _tree.Frontier(size)
                : throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"The store has {size} entries but only {_tree.Size} could be read.");
        }
    }

    /// <summary>Right edge of the tree at <paramref name="size"/>, reading rows the tree does not have yet from the caller's transaction.</summary>
    private CompactRange FrontierAt(long size, SqliteConnection connection, SqliteTransaction transaction)
    {
        CompactRange frontier;
        lock (_treeLock)
        {
            frontier = _tree.Frontier(Math.Min(_tree.Size, size));
        }

        foreach (var row in LedgerDatabase.ReadEntries(connection, frontier.Size, transaction, size))
        {
            frontier.Append(row.LeafHash);
        }

        return frontier;
    }

    private void SignalIfDue()
    {
        if (UnsignedEntries >= _options.TreeHeadEveryEntries)
        {
            _issueSignal.Release();
        }
    }
}
