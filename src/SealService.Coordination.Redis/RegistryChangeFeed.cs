using StackExchange.Redis;

namespace SealService.Coordination.Redis;

/// <summary>
/// Registry changes (an agreement or seal version, a matter, an import) announced between nodes over Redis pub/sub. Each
/// announcement carries a number from one Redis counter. A node trusts its cached registry views only while it is
/// connected and subscribed; every announcement, a lost connection or a reconnect moves <see cref="Generation"/>, which
/// drops every cached view. When Redis cannot be reached the node reads the database for every decision.
/// </summary>
public sealed class RegistryChangeFeed : IAsyncDisposable
{
    public const string Channel = "sealservice:registry:changes";
    public const string CounterKey = "sealservice:registry:changes:seq";

    private readonly ConnectionMultiplexer _redis;
    private long _generation;
    private readonly Lock _gate = new();
    private long _lastSeen;
    private volatile bool _subscribed;
    private bool _handlerAdded; // StackExchange.Redis subscribes again by itself after a reconnect

    private RegistryChangeFeed(ConnectionMultiplexer redis) => _redis = redis;

    /// <summary>Moves on every change this node hears of or makes, and whenever it may have missed one.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Connected and subscribed: a change committed elsewhere will be heard of.</summary>
    public bool IsTrusted => _subscribed && _redis.IsConnected;

    /// <summary>Announcements heard whose number skipped one (a node died between its commit and its announcement).</summary>
    public long Gaps { get; private set; }

    /// <summary>Connects (StackExchange.Redis configuration syntax) without failing when Redis is down: it keeps trying.</summary>
    public static async Task<RegistryChangeFeed> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "sealservice";
        var feed = new RegistryChangeFeed(await ConnectionMultiplexer.ConnectAsync(options));
        feed._redis.ConnectionFailed += (_, _) => feed.Distrust();
        feed._redis.ConnectionRestored += (_, _) => _ = feed.ResyncAsync();
        await feed.ResyncAsync();
        return feed;
    }

    /// <summary>Announces a committed change to every node (and forgets this node's own cached views at once).</summary>
    public async Task PublishAsync()
    {
        Interlocked.Increment(ref _generation);
        try
        {
            var seq = await _redis.GetDatabase().StringIncrementAsync(CounterKey);
            await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), seq);
        }
        catch (RedisException)
        {
            // The change is committed; nodes that miss it drop their views when they reconnect or when the views age out,
            // and a stamp's commit refuses any basis that is no longer current.
        }
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private void Distrust()
    {
        _subscribed = false;
        Interlocked.Increment(ref _generation);
    }

    private async Task ResyncAsync()
    {
        try
        {
            if (!_handlerAdded)
            {
                await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => Heard((long)message));
                _handlerAdded = true;
            }

            var current = await _redis.GetDatabase().StringGetAsync(CounterKey);
            lock (_gate)
                _lastSeen = current.IsNull ? 0 : (long)current;
            Interlocked.Increment(ref _generation); // whatever changed while we were away
            _subscribed = true;
        }
        catch (RedisException)
        {
            Distrust(); // the next ConnectionRestored tries again
        }
    }

    private void Heard(long seq)
    {
        lock (_gate)
        {
            if (seq > _lastSeen + 1)
                Gaps++;
            _lastSeen = Math.Max(_lastSeen, seq);
        }

        Interlocked.Increment(ref _generation);
    }
}
