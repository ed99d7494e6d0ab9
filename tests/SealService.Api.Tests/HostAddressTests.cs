using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>The built host as a process: ASPNETCORE_URLS is honoured (the settings file used to override it).</summary>
public sealed class HostAddressTests
{
    [Fact]
    public async Task The_host_listens_where_aspnetcore_urls_says()
    {
        var data = Directory.CreateTempSubdirectory("host-urls-").FullName;
        try
        {
            using var service = await ServiceProcess.StartAsync(data, urlsFromEnvironment: true);
            using var client = new HttpClient { BaseAddress = service.Address };
            var health = await client.GetAsync("/healthz");
            Assert.True(health.IsSuccessStatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
