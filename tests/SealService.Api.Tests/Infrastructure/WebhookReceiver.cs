using System.Collections.Concurrent;
using System.Net;
using SealService.TestSupport;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// A real HTTP listener on loopback standing in for a supervising department's system: it answers 500 to the first
/// <see cref="FailuresPerEvent"/> attempts of each event, and always 500 for bodies containing "ALWAYS-FAIL".
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    public const int FailuresPerEvent = 2;
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _disposed;

    private WebhookReceiver()
    {
        Url = $"http://127.0.0.1:{Loopback.FreePort()}/supervision/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Every request received: event id header and body.</summary>
    public ConcurrentQueue<(string EventId, string Body, int Status)> Received { get; } = new();

    public static WebhookReceiver Start() => new();

    public void Dispose()
    {
        // The factory may dispose twice (Dispose and DisposeAsync).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var id = context.Request.Headers["X-SealService-Event-Id"] ?? string.Empty;
            var previous = Received.Count(r => r.EventId == id);
            var status = body.Contains("ALWAYS-FAIL", StringComparison.Ordinal) || previous < FailuresPerEvent ? 500 : 204;
            Received.Enqueue((id, body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}

/// <summary>The stamping host with its supervision webhook pointing at a <see cref="WebhookReceiver"/>.</summary>
public sealed class SupervisionApiFactory : StampingApiFactory
{
    public SupervisionApiFactory()
        : this(WebhookReceiver.Start())
    {
    }

    private SupervisionApiFactory(WebhookReceiver receiver)
        : base(receiver.Url)
    {
        Receiver = receiver;
    }

    public WebhookReceiver Receiver { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Receiver.Dispose();
    }
}
