using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SealService.Api.Auth;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>Small helpers over HttpClient for JSON calls as a given role.</summary>
public static class Http
{
    public static HttpClient As(this SealApiFactory factory, string role, string? department = null, string? township = null, string name = "测试人员") =>
        factory.CreateClient().WithToken(Tokens.For(role, name, department, township));

    public static HttpClient Admin(this SealApiFactory factory) => factory.As(SealClaims.RegistryAdmin, name: "管理员");

    public static HttpClient Auditor(this SealApiFactory factory) => factory.As(SealClaims.Auditor, name: "审计员");

    public static HttpClient Officer(this SealApiFactory factory, string department) => factory.As(SealClaims.DepartmentOfficer, department: department, name: "科员");

    public static HttpClient Clerk(this SealApiFactory factory, string township) => factory.As(SealClaims.TownshipClerk, township: township, name: "窗口人员");

    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJson(this HttpClient client, string url) => await (await client.GetAsync(url)).Json();

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string body, string mediaType = "application/json") =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, mediaType));

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;
}
