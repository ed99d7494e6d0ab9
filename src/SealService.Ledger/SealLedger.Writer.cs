using Microsoft.Data.Sqlite;
using SealService.Ledger.Merkle;

namespace SealService.Ledger;

/// <summary>The group-commit writer: queued appends share one IMMEDIATE transaction, so one fsync, per batch.</summary>
public sealed partial class SealLedger
{
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
