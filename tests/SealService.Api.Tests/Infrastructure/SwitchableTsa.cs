using System.Net;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;
using SealService.TestSupport;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// An external RFC 3161 TSA on loopback (a free port) that answers with the committed dev TSA until a test turns it
/// off; then it answers HTTP 503, as a TSA under maintenance does.
/// </summary>
public sealed class SwitchableTsa : IDisposable
{
    private readonly DevTimeStampAuthority _tsa = new DevPki(Path.Combine(Repository.Root, "certs-dev"), DevPki.DefaultPassphrase).CreateTimeStampAuthority();
    private readonly LoopbackTsa _server;
    private volatile bool _up = true;
    private int _requests;

    public SwitchableTsa() => _server = new LoopbackTsa(RespondAsync);

    public string Url => _server.Url;

    public bool Up { get => _up; set => _up = value; }

    /// <summary>Requests answered so far (up or down).</summary>
    public int Requests => Volatile.Read(ref _requests);

    private Task RespondAsync(byte[] request, HttpListenerResponse response, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return _up
            ? LoopbackTsa.Reply(response, _tsa.HandleHttpRequest(request))
            : LoopbackTsa.Reply(response, [], "text/plain", 503);
    }

    public void Dispose() => _server.Dispose();
}
