using System.Collections.Concurrent;
using Npgsql;

namespace SealService.Storage.Postgres;

/// <summary>
/// This node's membership among those sharing the database: a row in storage_nodes with a heartbeat on the database's
/// clock. A node whose heartbeat is older than its lease is gone: any live node then closes its open number blocks (their
/// unused numbers are void, never reused) and frees its idempotency holds. A live node's rows are never touched.
/// </summary>
internal sealed class PostgresNodeLease : IAsyncDisposable
{
    /// <summary>Closes open blocks (narrowed by the caller's AND …), counting the numbers never written as unused.</summary>
    private const string CloseBlocks = """
        UPDATE number_blocks b SET closed_ticks = @t, unused = (b.last_seq - b.first_seq + 1) - (
                SELECT COUNT(*) FROM document_numbers d WHERE d.seal_id = b.seal_id AND d.year = b.year AND d.seq BETWEEN b.first_seq AND b.last_seq)
        WHERE b.closed_ticks IS NULL
        """;

    private readonly NpgsqlDataSource _source;
    private readonly TimeSpan _lease;
    private readonly Action _lost;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _unreleased = new();
    private readonly string _beatConnectionString;
    private Thread? _loop;
    private bool _joined;

    /// <param name="node">This process's owner name (unique per process start).</param>
    /// <param name="lease">How long a silent node still counts as alive; it beats five times per lease.</param>
    /// <param name="lost">Called when this node finds itself declared gone (paused longer than its lease): its blocks were closed.</param>
    public PostgresNodeLease(NpgsqlDataSource source, string connectionString, string node, TimeSpan lease, Action lost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromSeconds(1));
        _source = source;
        _beatConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        Node = node;
        _lease = lease;
        _lost = lost;
    }

    public string Node { get; }

    /// <summary>Registers the node, sweeps what gone nodes left, and starts the heartbeat. Returns the numbers voided.</summary>
    public async Task<int> JoinAsync(CancellationToken ct)
    {
        await using (var c = await _source.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO storage_nodes(node, started_at, heartbeat_at, lease_seconds) VALUES (@n, clock_timestamp(), clock_timestamp(), @l)
            ON CONFLICT (node) DO UPDATE SET heartbeat_at = clock_timestamp(), lease_seconds = @l
            """, c))
        {
            cmd.Parameters.AddWithValue("n", Node);
            cmd.Parameters.AddWithValue("l", _lease.TotalSeconds);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        _joined = true;
        var voided = await SweepAsync(ct);
        _loop = new Thread(Loop) { IsBackground = true, Name = "storage-node-heartbeat" };
        _loop.Start();
        return voided;
    }

    /// <summary>
    /// Closes the open blocks of every node no longer registered or silent past its lease, and frees their holds. Returns
    /// the numbers this voids.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var c = await _source.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            DELETE FROM storage_nodes WHERE heartbeat_at < clock_timestamp() - make_interval(secs => lease_seconds);
            DELETE FROM idempotency_holds h WHERE NOT EXISTS (SELECT 1 FROM storage_nodes n WHERE n.node = h.node);
            {CloseBlocks} AND NOT EXISTS (SELECT 1 FROM storage_nodes n WHERE n.node = b.owner)
            RETURNING b.unused;
            """, c, tx);
        cmd.Parameters.AddWithValue("t", DateTime.UtcNow.Ticks);
        long unused = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await r.ReadAsync(ct))
                {
                    if (r.FieldCount == 1 && !r.IsDBNull(0))
                        unused += r.GetInt64(0);
                }
            }
            while (await r.NextResultAsync(ct));
        }

        await tx.CommitAsync(ct);
        return (int)unused;
    }

    /// <summary>
    /// Holds <paramref name="key"/> for this node; waits while another live node holds it. The caller holds the key's
    /// in-process lock, so a hold already in this node's name is a leftover and is taken over.
    /// </summary>
    public async Task<IAsyncDisposable> HoldAsync(string key, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            await using (var c = await _source.OpenConnectionAsync(ct))
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO idempotency_holds(key, node, since) VALUES (@k, @n, clock_timestamp())
                ON CONFLICT (key) DO UPDATE SET node = @n, since = clock_timestamp()
                    WHERE idempotency_holds.node = @n
                       OR NOT EXISTS (SELECT 1 FROM storage_nodes s WHERE s.node = idempotency_holds.node
                                      AND s.heartbeat_at >= clock_timestamp() - make_interval(secs => s.lease_seconds))
                RETURNING node
                """, c))
            {
                cmd.Parameters.AddWithValue("k", key);
                cmd.Parameters.AddWithValue("n", Node);
                if (await cmd.ExecuteScalarAsync(ct) is string)
                    return new Hold(this, key);
            }

            await Task.Delay(wait, ct);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }

    /// <summary>Stops beating. Once joined, leaves cleanly: closes this node's blocks (their unused numbers are void) and holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        await _stopping.CancelAsync();
        _loop?.Join();
        if (_joined)
        {
            try
            {
                await using var c = await _source.OpenConnectionAsync(CancellationToken.None);
                await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
                await using var cmd = new NpgsqlCommand($"""
                    DELETE FROM storage_nodes WHERE node = @n;
                    DELETE FROM idempotency_holds WHERE node = @n;
                    {CloseBlocks} AND b.owner = @n;
                    """, c, tx);
                cmd.Parameters.AddWithValue("n", Node);
                cmd.Parameters.AddWithValue("t", DateTime.UtcNow.Ticks);
                await cmd.ExecuteNonQueryAsync(CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Unreachable: the others sweep this node's blocks once its lease has passed.
            }
        }

        _stopping.Dispose();
    }

    private async Task ReleaseAsync(string key)
    {
        try
        {
            await ReleaseNowAsync(key);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _unreleased.Enqueue(key); // the heartbeat retries: a live node's hold is never freed by others
        }
    }

    private async Task ReleaseNowAsync(string key)
    {
        await using var c = await _source.OpenConnectionAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand("DELETE FROM idempotency_holds WHERE key = @k AND node = @n", c);
        cmd.Parameters.AddWithValue("k", key);
        cmd.Parameters.AddWithValue("n", Node);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Beats and sweeps on a thread and a connection of its own: a node busy stamping (thread pool and connection pool in
    /// full use) must not look gone to the others while it is alive.
    /// </summary>
    private void Loop()
    {
        var token = _stopping.Token;
        NpgsqlConnection? c = null;
        while (!token.WaitHandle.WaitOne(_lease / 5))
        {
            try
            {
                if (c is null)
                {
                    c = new NpgsqlConnection(_beatConnectionString);
                    c.Open();
                }

                Beat(c);
                while (_unreleased.TryPeek(out var key))
                {
                    ReleaseNowAsync(key).GetAwaiter().GetResult();
                    _unreleased.TryDequeue(out _);
                }

                SweepAsync(token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The database is unreachable: stamps fail on their own; the next beat tries again on a new connection.
                c?.Dispose();
                c = null;
            }
        }

        c?.Dispose();
    }

    private void Beat(NpgsqlConnection c)
    {
        using var cmd = new NpgsqlCommand("UPDATE storage_nodes SET heartbeat_at = clock_timestamp() WHERE node = @n", c);
        cmd.Parameters.AddWithValue("n", Node);
        if (cmd.ExecuteNonQuery() == 1)
            return;

        // Declared gone while paused: our blocks are closed. Start over with fresh blocks under the same name.
        _lost();
        using var rejoin = new NpgsqlCommand("""
            INSERT INTO storage_nodes(node, started_at, heartbeat_at, lease_seconds) VALUES (@n, clock_timestamp(), clock_timestamp(), @l)
            ON CONFLICT (node) DO UPDATE SET heartbeat_at = clock_timestamp()
            """, c);
        rejoin.Parameters.AddWithValue("n", Node);
        rejoin.Parameters.AddWithValue("l", _lease.TotalSeconds);
        rejoin.ExecuteNonQuery();
    }

    private sealed class Hold(PostgresNodeLease lease, string key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                await lease.ReleaseAsync(key);
        }
    }
}
