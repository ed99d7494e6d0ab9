using System.Net;

namespace SealService.TestSupport;

/// <summary>A real HTTP server on loopback whose answer a test chooses (the dev TSA, an error, silence).</summary>
public sealed class LoopbackTsa : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    public LoopbackTsa(Func<byte[], HttpListenerResponse, CancellationToken, Task> respond)
    {
        Url = $"http://127.0.0.1:{Loopback.FreePort()}/tsa/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    RequestContentTypes.Add(context.Request.ContentType ?? "");
                    try
                    {
                        await respond(body.ToArray(), context.Response, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    finally
                    {
                        try
                        {
                            context.Response.Close();
                        }
                        catch (ObjectDisposedException)
                        {
                        }
                    }
                });
            }
        });
    }

    public string Url { get; }

    public System.Collections.Concurrent.ConcurrentBag<string> RequestContentTypes { get; } = [];

    public static async Task Reply(HttpListenerResponse response, byte[] body, string contentType = "application/timestamp-reply", int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
