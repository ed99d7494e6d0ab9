using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using SealService.Api.Grpc;

namespace SealService.Api.Tests.Grpc;

/// <summary>
/// How the host turns <c>Urls</c> and <c>SealService:GrpcUrl</c> into Kestrel endpoints. Only options are built here:
/// no server starts and nothing binds, so naming the default ports 5080/5081 cannot collide with a running service.
/// </summary>
public sealed class SealListenersTests
{
    private static SealListeners Configure(string? urls, string? grpcUrl)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls };
        if (grpcUrl is not null)
            settings[SealListeners.GrpcUrlKey] = grpcUrl;
        var listeners = new SealListeners();
        listeners.Configure(new KestrelServerOptions(), new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return listeners;
    }

    [Fact]
    public void Defaults_to_rest_on_urls_and_grpc_on_5081()
    {
        var listeners = Configure("http://127.0.0.1:5080", grpcUrl: null);
        Assert.True(listeners.Configured);
        Assert.Equal([new Uri("http://127.0.0.1:5080")], listeners.Rest);
        Assert.Equal(new Uri("http://127.0.0.1:5081"), listeners.Grpc);
    }

    [Fact]
    public void Binds_every_rest_url_and_the_configured_grpc_url()
    {
        var listeners = Configure("http://127.0.0.1:6000; http://[::1]:6001;http://*:6002", "http://127.0.0.2:6100");
        Assert.Equal([new Uri("http://127.0.0.1:6000"), new Uri("http://[::1]:6001"), new Uri("http://127.0.0.1:6002")], listeners.Rest);
        Assert.Equal(new Uri("http://127.0.0.2:6100"), listeners.Grpc);
    }

    [Fact]
    public void Empty_grpc_url_leaves_kestrel_to_bind_urls_itself()
    {
        var listeners = Configure("http://127.0.0.1:5080", grpcUrl: "");
        Assert.False(listeners.Configured);
        Assert.Null(listeners.Grpc);
        Assert.Empty(listeners.Rest);
    }

    [Theory]
    [InlineData("http://example.org:5081")]
    [InlineData("ftp://127.0.0.1:5081")]
    [InlineData("http://127.0.0.1:5081/base")]
    public void Refuses_what_it_cannot_bind(string grpcUrl)
    {
        Assert.Throws<InvalidOperationException>(() => Configure("http://127.0.0.1:5080", grpcUrl));
    }
}
