using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SealService.Api.Grpc;

/// <summary>
/// Kestrel endpoints when the gRPC endpoint is on: the REST addresses from <c>Urls</c> (HTTP/1.1, and HTTP/2 with TLS)
/// and <c>SealService:GrpcUrl</c> as an HTTP/2-only endpoint, which is what plaintext gRPC (h2c) needs. Kestrel ignores
/// <c>Urls</c> once endpoints are configured in code, so both are bound here. After start, <see cref="Rest"/> and
/// <see cref="Grpc"/> hold the bound endpoints (port 0 in the settings → the port the OS chose).
/// </summary>
public sealed class SealListeners
{
    public const string GrpcUrlKey = "SealService:GrpcUrl";
    public const string DefaultGrpcUrl = "http://127.0.0.1:5081";

    /// <summary>REST address when neither ASPNETCORE_URLS, --urls nor a Urls setting gives one.</summary>
    public const string DefaultRestUrl = "http://127.0.0.1:5080";

    private readonly List<(ListenOptions Listen, bool Tls)> _rest = [];
    private (ListenOptions Listen, bool Tls)? _grpc;

    /// <summary>True when this host binds its endpoints itself (a gRPC URL is configured).</summary>
    public bool Configured { get; private set; }

    /// <summary>The REST endpoints as a local client reaches them (the bound ports once the server has started).</summary>
    public IReadOnlyList<Uri> Rest => [.. _rest.Select(r => ToUri(r.Listen, r.Tls))];

    /// <summary>The gRPC endpoint as a local client reaches it, or null when the gRPC endpoint is off.</summary>
    public Uri? Grpc => _grpc is { } g ? ToUri(g.Listen, g.Tls) : null;

    internal void Configure(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var grpcUrl = configuration[GrpcUrlKey] ?? DefaultGrpcUrl;
        if (string.IsNullOrWhiteSpace(grpcUrl))
            return; // gRPC endpoint off: Kestrel binds Urls on its own, gRPC needs TLS (ALPN) there.

        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        foreach (var url in (string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Listen(kestrel, url, null, _rest.Add);
        Listen(kestrel, grpcUrl.Trim(), HttpProtocols.Http2, g => _grpc = g);
        Configured = true;
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols? protocols, Action<(ListenOptions, bool)> keep)
    {
        var address = BindingAddress.Parse(url);
        if (address.IsUnixPipe || (address.Scheme != "http" && address.Scheme != "https") || address.PathBase.Length > 0)
            throw new InvalidOperationException($"'{url}' is not an http(s)://host:port address");
        void Configure(ListenOptions listen)
        {
            var tls = address.Scheme == "https";
            // REST: HTTP/1.1, plus HTTP/2 where TLS can negotiate it; gRPC: HTTP/2 only (h2c without TLS).
            listen.Protocols = protocols ?? (tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1);
            if (tls)
                listen.UseHttps();
            keep((listen, tls));
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            kestrel.ListenLocalhost(address.Port, Configure);
        else if (address.Host is "*" or "+" or "[::]")
            kestrel.ListenAnyIP(address.Port, Configure);
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
            kestrel.Listen(ip, address.Port, Configure);
        else
            throw new InvalidOperationException($"'{url}': use an IP address, localhost or * (host names are not bound)");
    }

    /// <summary>Where a client on this machine connects to the endpoint (loopback for an any-address endpoint).</summary>
    private static Uri ToUri(ListenOptions listen, bool tls)
    {
        var scheme = tls ? "https" : "http";
        var endpoint = listen.IPEndPoint ?? throw new InvalidOperationException("endpoint is not an IP endpoint");
        var address = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(IPAddress.Loopback, endpoint.Port)
            : endpoint;
        return new Uri($"{scheme}://{address}");
    }

    /// <summary>Binds the endpoints through Kestrel's options.</summary>
    internal sealed class Setup(SealListeners listeners, IConfiguration configuration) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options) => listeners.Configure(options, configuration);
    }

    /// <summary>
    /// Clears the <c>Urls</c> addresses handed to the server when this host binds them in code, so Kestrel does not
    /// warn that it overrides them. A host that prefers its hosting URLs (PreferHostingUrls, e.g. a test host on port 0)
    /// keeps them and Kestrel uses those instead.
    /// </summary>
    internal sealed class AddressFilter(SealListeners listeners, IServer server, IOptions<KestrelServerOptions> kestrel) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            _ = kestrel.Value; // runs the Setup above
            if (listeners.Configured && server.Features.Get<IServerAddressesFeature>() is { PreferHostingUrls: false, Addresses.IsReadOnly: false } addresses)
                addresses.Addresses.Clear();
            return next;
        }
    }
}
