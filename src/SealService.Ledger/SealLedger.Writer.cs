using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;
using SealService.Ledger.Storage;

namespace SealService.Ledger;

/// <summary>
/// Appends to the embedded SQLite file: through the group-commit writer (queued appends share one IMMEDIATE transaction,
/// so one fsync, per batch) or inside the caller's own transaction.
/// </summary>
public sealed partial class SealLedger
{
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

    private async Task WriterLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var first = CommitBatch(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(first + i);
                }

                SignalIfDue();
            }
            catch (Exception ex)
            {
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>One IMMEDIATE transaction for the whole batch; the tree grows only after the commit.</summary>
    private long CommitBatch(List<PendingAppend> batch)
    {
        var connection = _writerConnection!;
        using var transaction = connection.BeginTransaction(deferred: false);
        CompactRange frontier;
        lock (_treeLock)
        {
            // Rows another writer committed before we took the lock.
            CatchUp(connection, transaction);
            frontier = _tree.Frontier(_tree.Size);
        }

        var first = frontier.Size;
        var insert = _insert ??= PrepareInsert();
        insert.Transaction = transaction;
        var p = insert.Parameters;
        for (var i = 0; i < batch.Count; i++)
        {
            frontier.Append(batch[i].LeafHash);
            p[0].Value = first + i;
            p[1].Value = batch[i].Entry;
            p[2].Value = batch[i].LeafHash;
            p[3].Value = frontier.RootHash();
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        Interlocked.Increment(ref _batches);
        lock (_treeLock)
        {
            // A concurrent NotifyCommitted cannot have loaded rows past ours: we held the write lock.
            if (_tree.Size == first)
            {
                foreach (var item in batch)
                {
                    _tree.AppendLeafHash(item.LeafHash);
                }
            }
            else
            {
                CatchUp(connection, null);
            }
        }

        return first;
    }

    /// <summary>The writer's insert, prepared once for the connection's lifetime.</summary>
    private SqliteCommand PrepareInsert()
    {
        var insert = _writerConnection!.CreateCommand();
        insert.CommandText = "INSERT INTO ledger_entries(idx, entry, leaf_hash, root_after) VALUES ($i, $e, $h, $r)";
        insert.Parameters.Add("$i", SqliteType.Integer);
        insert.Parameters.Add("$e", SqliteType.Blob);
        insert.Parameters.Add("$h", SqliteType.Blob);
        insert.Parameters.Add("$r", SqliteType.Blob);
        insert.Prepare();
        return insert;
    }

    private sealed class PendingAppend(byte[] entry, byte[] leafHash)
    {
        public byte[] Entry { get; } = entry;

        public byte[] LeafHash { get; } = leafHash;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
