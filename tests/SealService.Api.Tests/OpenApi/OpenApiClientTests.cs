using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Auth;
using SealService.Api.Errors;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests.OpenApi;

/// <summary>
/// A client that knows only /openapi/v1.json stamps a template document and an upload, verifies it, and reads a
/// refusal whose status and code the document declares; every operation declares its security and its errors.
/// </summary>
public sealed class OpenApiClientTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    private const string Seal = "seal-mudan-spj-shatu";
    private const string Matter = "mat-heze-mudan-011";
    private const string Township = "twp-mudan-shatu";
    private const string Stampings = "/api/v1/stampings";

    private static readonly string ClerkToken = Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: Township);

    private async Task<OpenApiRequestBuilder> BuilderAsync() =>
        new(JsonDocument.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.Clone());

    [Fact]
    public async Task A_template_document_is_stamped_from_the_document_alone()
    {
        var api = await BuilderAsync();
        var values = new Dictionary<string, object?>
        {
            ["Idempotency-Key"] = Guid.NewGuid().ToString("N"),
            ["sealId"] = Seal,
            ["matterId"] = Matter,
            ["step"] = "decide",
            ["caseNumber"] = "OAS-T-" + Guid.NewGuid().ToString("N")[..8],
            ["subjectTownshipId"] = Township,
            ["templateId"] = "licence-decision",
            ["fields"] = TestPdfs.SampleFields("licence-decision"),
        };

        var response = await host.CreateClient().SendAsync(api.Build("POST", Stampings, values, "application/json", token: ClerkToken));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stamp = await api.CheckResponseAsync("POST", Stampings, response);
        Assert.StartsWith("doc-", stamp.Str("documentId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_is_stamped_and_verified_from_the_document_alone()
    {
        var api = await BuilderAsync();
        var request = new Dictionary<string, object?>
        {
            ["sealId"] = Seal,
            ["matterId"] = Matter,
            ["step"] = "decide",
            ["caseNumber"] = "OAS-U-" + Guid.NewGuid().ToString("N")[..8],
            ["subjectTownshipId"] = Township,
            ["documentKind"] = "decision",
        };
        var values = new Dictionary<string, object?> { ["Idempotency-Key"] = Guid.NewGuid().ToString("N"), ["request"] = request };

        var response = await host.CreateClient().SendAsync(api.Build("POST", Stampings, values, "multipart/form-data", TestPdfs.Plain(), ClerkToken));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stamp = await api.CheckResponseAsync("POST", Stampings, response);
        var pdf = await host.CreateClient().WithToken(ClerkToken).Download(stamp.Str("documentId"));

        var auditor = Tokens.For(SealClaims.Auditor, "审计员");
        var verified = await host.CreateClient().SendAsync(api.Build("POST", "/api/v1/verifications", new Dictionary<string, object?>(), "multipart/form-data", pdf, auditor));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var report = await api.CheckResponseAsync("POST", "/api/v1/verifications", verified);
        Assert.Equal(stamp.Str("documentId"), report.GetProperty("signatures")[0].GetProperty("scope").Str("documentId"));
    }

    [Fact]
    public async Task A_refusal_answers_a_status_and_code_the_document_declares()
    {
        var api = await BuilderAsync();
        var values = new Dictionary<string, object?>
        {
            ["Idempotency-Key"] = Guid.NewGuid().ToString("N"),
            ["sealId"] = Seal,
            ["matterId"] = Matter,
            ["step"] = "decide",
            ["caseNumber"] = "OAS-R-" + Guid.NewGuid().ToString("N")[..8],
            ["subjectTownshipId"] = Township,
            ["templateId"] = "licence-decision",
            ["fields"] = TestPdfs.SampleFields("licence-decision"),
        };
        var otherClerk = Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-wudian");

        var response = await host.CreateClient().SendAsync(api.Build("POST", Stampings, values, "application/json", token: otherClerk));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await api.CheckResponseAsync("POST", Stampings, response);
        var code = problem.Str("code");
        Assert.Contains($"`{code}`", api.Operation("POST", Stampings).GetProperty("responses").GetProperty("403").Str("description"));
    }

    [Fact]
    public async Task Every_operation_declares_its_security_and_its_errors()
    {
        var api = await BuilderAsync();
        var document = JsonDocument.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.False(document.TryGetProperty("security", out _), "security is per operation, not for the whole document");
        var codes = document.GetProperty("components").GetProperty("schemas").GetProperty("Problem").GetProperty("properties").GetProperty("code")
            .GetProperty("enum").EnumerateArray().Select(c => c.GetString()!).ToHashSet();
        Assert.Equal(ErrorCatalog.Entries.Select(e => e.Code).ToHashSet(), codes);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(responses.TryGetProperty("500", out _), where + " declares no 500");
                var secured = api.IsSecured(operation.Value);
                Assert.Equal(path.Name.StartsWith("/api/v1/", StringComparison.Ordinal), secured);
                if (secured)
                {
                    Assert.Contains("`UNAUTHENTICATED`", responses.GetProperty("401").Str("description"));
                    Assert.Contains("`FORBIDDEN`", responses.GetProperty("403").Str("description"));
                }

                // Declared security is real: without a token a secured operation answers 401, an open one does not.
                if (operation.Name == "get" && !path.Name.Contains('{'))
                {
                    var anonymous = await host.CreateClient().GetAsync(path.Name);
                    Assert.True(secured == (anonymous.StatusCode == HttpStatusCode.Unauthorized), $"{where}: declared secured={secured}, answered {(int)anonymous.StatusCode}");
                }
            }
        }

        Assert.False(api.IsSecured(api.Operation("GET", "/healthz")));
    }
}
