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

    private void SignalIfDue()
    {
        if (UnsignedEntries >= _options.TreeHeadEveryEntries)
        {
            _issueSignal.Release();
        }
    }
}
