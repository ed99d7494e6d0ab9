using System.Net;
using System.Text.Json;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

public sealed class HostTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    [Fact]
    public async Task Health_answers_without_a_token()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_and_ui_are_served()
    {
        var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.Equal("SealService API", doc.GetProperty("info").GetProperty("title").GetString());
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        Assert.True(paths.TryGetProperty("/api/v1/stamp-checks", out _));
        Assert.True(paths.TryGetProperty("/api/v1/agreements/{id}/revoke", out _));
        Assert.True(paths.GetProperty("/api/v1/regions").GetProperty("post").TryGetProperty("requestBody", out _));
        var ui = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_404_problem_with_code()
    {
        var response = await factory.CreateClient().GetAsync("/no/such/thing");
        await response.AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
