using Npgsql;
using SealService.TestSupport;
using StackExchange.Redis;

namespace SealService.Storage.Tests;

/// <summary>
/// The real servers the multi-node tests run on (issue 10): a PostgreSQL cluster and a redis-server, each started by the
/// test as its own process on a free loopback port with a temporary folder, and gone when it ends.
/// </summary>
public sealed class ServerHarnessTests
{
    [Fact]
    public async Task A_private_postgresql_cluster_takes_sql_and_skip_locked_claims_and_is_gone_after_dispose()
    {
        string folder;
        int port;
        using (var pg = new PostgresServer())
        {
            (folder, port) = (pg.Directory, pg.Port);
            await using var data = NpgsqlDataSource.Create(pg.ConnectionString());
            await using (var create = data.CreateCommand("CREATE TABLE outbox (id int PRIMARY KEY, claimed_by text); INSERT INTO outbox SELECT g, NULL FROM generate_series(1, 10) g"))
                await create.ExecuteNonQueryAsync();

            // Two sessions claim with FOR UPDATE SKIP LOCKED: never the same row (what the outbox of issue 10 relies on).
            await using var first = await data.OpenConnectionAsync();
            await using var second = await data.OpenConnectionAsync();
            await using var t1 = await first.BeginTransactionAsync();
            await using var t2 = await second.BeginTransactionAsync();
            var a = await ClaimAsync(first, t1, 4);
            var b = await ClaimAsync(second, t2, 10);
            Assert.Equal(4, a.Count);
            Assert.Equal(6, b.Count);
            Assert.Empty(a.Intersect(b));

            await using var version = data.CreateCommand("SHOW server_version");
            Assert.StartsWith("15", (string)(await version.ExecuteScalarAsync())!); // Debian 12's PostgreSQL
        }

        Assert.False(Directory.Exists(folder));
        await using var gone = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username={PostgresServer.User};Timeout=2");
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await gone.OpenConnectionAsync());
    }

    [Fact]
    public async Task A_private_redis_server_publishes_to_subscribers_and_a_killed_one_is_unreachable()
    {
        using var redis = new RedisServer();
        await using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var subscriber = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.GetSubscriber().SubscribeAsync(RedisChannel.Literal("registry"), (_, message) => received.TrySetResult(message!));

        Assert.Equal(1, await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("registry"), "seal:seal-1:v2"));
        Assert.Equal("seal:seal-1:v2", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        redis.Kill();
        await Assert.ThrowsAnyAsync<RedisException>(() => publisher.GetDatabase().PingAsync());
    }

    private static async Task<List<int>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit)
    {
        await using var claim = new NpgsqlCommand("SELECT id FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", connection, transaction);
        claim.Parameters.AddWithValue(limit);
        var ids = new List<int>();
        await using var reader = await claim.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetInt32(0));
        return ids;
    }
}
