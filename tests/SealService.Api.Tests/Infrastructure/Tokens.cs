using System.Net.Http.Headers;
using SealService.Api.Auth;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>Dev tokens for the test callers, minted with the same code as sealctl.</summary>
public static class Tokens
{
    public static string For(string role, string name = "测试人员", string? department = null, string? township = null, int minutes = 30) =>
        DevTokens.Create(new DevTokenRequest(role, name, department, township, minutes), DateTimeOffset.UtcNow);

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
