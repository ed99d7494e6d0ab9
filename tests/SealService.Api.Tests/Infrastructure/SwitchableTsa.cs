using System.Net;
using System.Net.Sockets;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;
using SealService.TestSupport;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// An external RFC 3161 TSA on loopback (HttpListener, a free port) that answers with the committed dev TSA until a test
/// turns it off; then it answers HTTP 503, as a TSA under maintenance does.
/// </summary>
public sealed class SwitchableTsa : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly DevTimeStampAuthority _tsa = new DevPki(Path.Combine(Repository.Root, "certs-dev"), DevPki.DefaultPassphrase).CreateTimeStampAuthority();
    private volatile bool _up = true;
    private int _requests;
    private int _disposed;

    public SwitchableTsa()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/tsa/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public bool Up { get => _up; set => _up = value; }

    /// <summary>Requests answered so far (up or down).</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Interlocked.Increment(ref _requests);
                if (!_up)
                {
                    context.Response.StatusCode = 503;
                    continue;
                }

                var reply = _tsa.HandleHttpRequest(body.ToArray());
                context.Response.ContentType = "application/timestamp-reply";
                await context.Response.OutputStream.WriteAsync(reply);
            }
            catch (HttpListenerException)
            {
            }
            finally
            {
                try { context.Response.Close(); } catch (ObjectDisposedException) { }
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _listener.Close();
    }
}
