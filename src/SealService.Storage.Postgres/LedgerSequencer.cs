using Npgsql;
using NpgsqlTypes;
using SealService.Ledger;
using SealService.Ledger.Merkle;

namespace SealService.Storage.Postgres;

/// <summary>
/// The one sequencer of the ledger (the Trillian/Tessera shape): every node runs this loop, and the node that holds a
/// session-level advisory lock on its own unpooled connection integrates queued entries in batches: indexes in queue
/// order after the stored tree, each row with the root after it, the seal uses' ledger_index set, the queue rows deleted,
/// all in one transaction. The lock dies with the holder's connection (a killed node), and another node takes over within
/// a second. The holder signs tree heads (<see cref="SealLedger.IssuesHeads"/>); the others catch up to serve proofs.
/// </summary>
internal sealed class LedgerSequencer(string connectionString, int maxBatch) : IDisposable
{
    /// <summary>Key of the sequencer's advisory lock ("SealLdg1" as a 64-bit number).</summary>
    private const long SequencerLock = 0x5365616C4C646731;

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private NpgsqlConnection? _held;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    public void Start(SealLedger ledger)
    {
        ledger.IssuesHeads = false; // until this node holds the lock
        _loop = Task.Run(() => LoopAsync(ledger));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        Drop(null);
        _stopping.Dispose();
    }

    private async Task LoopAsync(SealLedger ledger)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_held is null && !await TryAcquireAsync(token))
                {
                    ledger.NotifyCommitted(); // not ours: keep this node's tree close to what the holder integrated
                    await WaitAsync(Retry, token);
                    continue;
                }

                if (!ledger.IssuesHeads)
                {
                    await BackfillTilesAsync(ledger, token); // just took over: the tiles must cover every entry
                    ledger.IssuesHeads = true;
                }

                if (await IntegrateBatchAsync(ledger, token) == 0)
                    await WaitAsync(Idle, token);
                else
                    ledger.NotifyCommitted(); // the tree catches up; the issuer signs when due
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // A lost connection, a failed batch (rolled back, nothing half-written): give up the lock and try again.
                Drop(ledger);
                await WaitAsync(Retry, token).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryAcquireAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
            cmd.Parameters.AddWithValue("k", SequencerLock);
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            {
                _held = connection;
                return true;
            }

        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return false;
    }

    private async Task<int> IntegrateBatchAsync(SealLedger ledger, CancellationToken ct)
    {
        var c = _held!;
        await using var tx = await c.BeginTransactionAsync(ct);
        var queue = new List<(long Id, string SealUseId, byte[] Entry)>();
        await using (var read = new NpgsqlCommand("SELECT id, seal_use_id, entry FROM ledger_queue ORDER BY id LIMIT @n FOR UPDATE", c, tx))
        {
            read.Parameters.AddWithValue("n", maxBatch);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                queue.Add((r.GetInt64(0), r.GetString(1), (byte[])r[2]));
        }

        if (queue.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }

        long size;
        await using (var count = new NpgsqlCommand("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries", c, tx))
            size = (long)(await count.ExecuteScalarAsync(ct))!;
        var frontier = ledger.Frontier(size);
        var indexes = new long[queue.Count];
        var leaves = new byte[queue.Count][];
        var roots = new byte[queue.Count][];
        var tiles = new TileWriter();
        for (var i = 0; i < queue.Count; i++)
        {
            indexes[i] = size + i;
            leaves[i] = MerkleHash.Leaf(queue[i].Entry);
            tiles.Add(0, size + i, leaves[i]);
            frontier.Append(leaves[i], tiles.Add);
            roots[i] = frontier.RootHash();
        }

        await using (var write = new NpgsqlCommand("""
            INSERT INTO ledger_entries(idx, entry, leaf_hash, root_after) SELECT * FROM unnest(@i, @e, @h, @r);
            UPDATE seal_uses s SET ledger_index = v.idx FROM unnest(@u, @i) AS v(id, idx) WHERE s.id = v.id;
            DELETE FROM ledger_queue WHERE id = ANY(@q);
            """, c, tx))
        {
            write.Parameters.Add(new NpgsqlParameter("i", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = indexes });
            write.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = queue.Select(q => q.Entry).ToArray() });
            write.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = leaves });
            write.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = roots });
            write.Parameters.Add(new NpgsqlParameter("u", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = queue.Select(q => q.SealUseId).ToArray() });
            write.Parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = queue.Select(q => q.Id).ToArray() });
            await write.ExecuteNonQueryAsync(ct);
        }

        await tiles.WriteAsync(c, tx, ct);
        await tx.CommitAsync(ct);
        return queue.Count;
    }

    /// <summary>
    /// Rewrites every tile from this node's tree when the tiles do not cover the stored entries exactly (a log from before
    /// tiles, or tiles damaged); a no-op in the usual case.
    /// </summary>
    private async Task BackfillTilesAsync(SealLedger ledger, CancellationToken ct)
    {
        var c = _held!;
        await using var tx = await c.BeginTransactionAsync(ct);
        long entries, covered;
        await using (var count = new NpgsqlCommand("""
            SELECT (SELECT COUNT(*) FROM ledger_entries), (SELECT COALESCE(SUM(length(hashes)), 0) / 32 FROM ledger_tiles WHERE level = 0)
            """, c, tx))
        await using (var r = await count.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (entries, covered) = (r.GetInt64(0), r.GetInt64(1));
        }

        if (entries == covered)
        {
            await tx.RollbackAsync(ct);
            return;
        }

        var tiles = new TileWriter();
        var levels = ledger.TreeLevels(entries);
        for (var k = 0; k < levels.Count; k++)
        {
            for (long i = 0; i < levels[k].Length / MerkleHash.Size; i++)
                tiles.Add(k, i, levels[k].AsSpan(checked((int)(i * MerkleHash.Size)), MerkleHash.Size).ToArray());
        }

        await using (var clear = new NpgsqlCommand("DELETE FROM ledger_tiles", c, tx))
            await clear.ExecuteNonQueryAsync(ct);
        await tiles.WriteAsync(c, tx, ct);
        await tx.CommitAsync(ct);
    }

    private void Drop(SealLedger? ledger)
    {
        if (ledger is not null)
            ledger.IssuesHeads = false;
        var held = Interlocked.Exchange(ref _held, null);
        held?.Dispose(); // closing the session releases the advisory lock
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await _signal.WaitAsync(delay, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
    }

    /// <summary>New tree hashes grouped by tile, appended to the stored tiles in index order (a tile only ever grows).</summary>
    private sealed class TileWriter
    {
        private readonly SortedDictionary<(int Level, long Tile), MemoryStream> _tiles = [];

        public void Add(int level, long index, byte[] hash)
        {
            var key = (level, index / PostgresLedgerStorage.TileWidth);
            if (!_tiles.TryGetValue(key, out var tile))
                _tiles[key] = tile = new MemoryStream();
            tile.Write(hash);
        }

        public async Task WriteAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
        {
            if (_tiles.Count == 0)
                return;
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO ledger_tiles(level, tile, hashes) SELECT * FROM unnest(@l, @t, @h)
                ON CONFLICT (level, tile) DO UPDATE SET hashes = ledger_tiles.hashes || excluded.hashes
                """, c, tx);
            cmd.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = _tiles.Keys.Select(k => k.Level).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = _tiles.Keys.Select(k => k.Tile).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = _tiles.Values.Select(v => v.ToArray()).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
