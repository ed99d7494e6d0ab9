using System.Data.Common;
using System.Threading.Channels;

namespace SealService.Storage.Relational;

/// <summary>
/// The stamping store's one writer: concurrent writes wait in a queue and are committed together, one transaction and
/// one fsync per batch, each write in its own savepoint so a failing one (a changed basis, a used key) is rolled back
/// alone. A write's task completes only after its batch is durable, or with the error that kept it out.
/// SQLite admits one writer at a time anyway; queueing here replaces a convoy of connections retrying the write lock, and on
/// PostgreSQL it saves a round trip and an fsync per stamp.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable, IDisposable
{
    /// <summary>Writes in one transaction at most (bounds the batch's latency and the work lost to a failed commit).</summary>
    public const int MaxBatch = 64;

    private readonly SqlDatabase _db;
    private readonly Action? _afterCommit;
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches;

    public GroupCommitWriter(SqlDatabase db, Action? afterCommit)
    {
        _db = db;
        _afterCommit = afterCommit;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Transactions committed so far (each holding one or more writes).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues <paramref name="work"/>. Cancellation counts only until the batch holding it starts: after that the write
    /// runs to its end, so the answer always says what is in the database.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var write = new Write<T>(work, ct);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }

        return write.Completion.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Write>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                    write.Fail(new OperationCanceledException(write.Cancellation));
                else
                    batch.Add(write);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<Write> batch)
    {
        try
        {
            await using var c = await _db.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var tx = await _db.BeginWriteAsync(c, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await tx.SaveAsync(savepoint).ConfigureAwait(false);
                try
                {
                    await batch[i].RunAsync(c, tx).ConfigureAwait(false);
                    await tx.ReleaseAsync(savepoint).ConfigureAwait(false);
                }
                catch (Exception e) when (_db.IsOwnFailure(e))
                {
                    // The write's own failure (a check, a constraint): undo it alone, keep the others.
                    await tx.RollbackAsync(savepoint).ConfigureAwait(false);
                    await tx.ReleaseAsync(savepoint).ConfigureAwait(false);
                    batch[i].Failed = e;
                }
            }

            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // I/O, full disk, a broken connection: SQLite may have rolled the whole transaction back; nothing is kept.
            foreach (var write in batch)
                write.Fail(e);
            return;
        }

        Interlocked.Increment(ref _batches);
        foreach (var write in batch)
        {
            if (write.Failed is { } e)
                write.Fail(e);
            else
                write.Succeed();
        }

        try
        {
            _afterCommit?.Invoke();
        }
        catch (Exception)
        {
            // The loop must survive. The ledger closed while the host stops, or its catch-up read failed: the batch is
            // durable either way, and the ledger reads the committed entries after the next batch or when it opens.
        }
    }

    /// <summary>Stops taking writes and waits until the queued ones are committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private abstract class Write(CancellationToken cancellation)
    {
        public CancellationToken Cancellation { get; } = cancellation;

        public Exception? Failed { get; set; }

        public abstract Task RunAsync(DbConnection c, DbTransaction tx);

        public abstract void Succeed();

        public abstract void Fail(Exception e);
    }

    private sealed class Write<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) : Write(ct)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(DbConnection c, DbTransaction tx) => _result = await work(c, tx).ConfigureAwait(false);

        public override void Succeed() => Completion.TrySetResult(_result!);

        public override void Fail(Exception e)
        {
            if (e is OperationCanceledException canceled)
                Completion.TrySetCanceled(canceled.CancellationToken);
            else
                Completion.TrySetException(e);
        }
    }
}
