using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger;

/// <summary>
/// The append-only seal-use log: SQLite rows + an in-memory Merkle tree + signed tree heads.
/// Appends go through one group-commit writer (<see cref="AppendAsync"/>) or through the caller's
/// own transaction (<see cref="AppendInTransaction"/> then <see cref="NotifyCommitted"/>).
/// Indexes are dense and in commit order because they are assigned under SQLite's write lock.
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
    private readonly SqliteConnection _writerConnection;
    private Task _writer = Task.CompletedTask;
    private Task _issuer = Task.CompletedTask;
    private volatile SignedTreeHead? _latest;
    private int _disposed;
    private long _batches;
    private SqliteCommand? _insert;

    private SealLedger(LedgerOptions options, LedgerSigner signer, TimeProvider time, SqliteConnection writerConnection)
    {
        _options = options;
        _signer = signer;
        _time = time;
        _writerConnection = writerConnection;
    }

    private TreeHeadVerifier? _treeHeadVerifier;

    private void Start()
    {
        _writer = Task.Run(WriterLoopAsync);
        _issuer = _options.TreeHeadInterval > TimeSpan.Zero ? Task.Run(IssuerLoopAsync) : Task.CompletedTask;
    }

    public string DatabasePath => _options.DatabasePath;

    /// <summary>The group-commit writer is running (false once it has stopped or failed: appends would wait forever).</summary>
    public bool IsWriting => !_writer.IsCompleted;

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
                    var latest = LedgerDatabase.ReadLatestTreeHead(connection);
                    var ledger = new SealLedger(options, signer, time ?? TimeProvider.System, connection);
                    lock (ledger._treeLock)
                    {
                        ledger.CatchUp(connection, null);
                        ledger.CheckAgainst(latest);
                    }

                    ledger._latest = latest;
                    ledger.Start();
                    return ledger;
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    /// <summary>Opens a connection to the ledger's database with its durability pragmas (for <see cref="AppendInTransaction"/>).</summary>
    public SqliteConnection OpenConnection() => LedgerDatabase.Open(_options.DatabasePath);

    /// <summary>
    /// Queues an entry for the group-commit writer; completes with its index once the batch holding
    /// it is committed (durable). Cancellation only stops waiting: a queued entry is still written.
    /// </summary>
    public Task<long> AppendAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
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
        using var connection = OpenConnection();
        lock (_treeLock)
        {
            CatchUp(connection, null);
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
            using var connection = OpenConnection();
            long size;
            byte[] root;
            lock (_treeLock)
            {
                CatchUp(connection, null);
                size = _tree.Size;
                root = _tree.RootHash(size);
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
            LedgerDatabase.InsertTreeHead(connection, head);
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
        _writerConnection.Dispose();
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
            using var connection = OpenConnection();
            CatchUp(connection, null);
        }

        if (_tree.Size < treeSize)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerTampered, $"A signed head covers {treeSize} entries but only {_tree.Size} are stored.");
        }
    }

    /// <summary>Appends committed rows beyond the tree (caller holds the tree lock). Each row's leaf hash is recomputed.</summary>
    private void CatchUp(SqliteConnection connection, SqliteTransaction? transaction)
    {
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        foreach (var row in LedgerDatabase.ReadEntries(connection, _tree.Size, transaction))
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
