using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>
/// Production mode: the host takes issuer, audience and the signing keys' source from configuration and no longer
/// trusts the development key. The key source has three branches (a JWKS URL, an OpenID authority, an explicit
/// metadata address); each derived class runs every check on one of them, against keys served on loopback.
/// </summary>
public abstract class ProductionAuthChecks(ProductionAuthTests.Factory factory)
{
    public const string Issuer = "https://idp.county.example";
    public const string Audience = "sealservice-prod";

    private static readonly DevTokenRequest Admin = new(SealClaims.RegistryAdmin, "管理员");

    [Fact]
    public async Task Token_from_the_configured_issuer_signed_with_a_jwks_key_is_accepted()
    {
        var token = DevTokens.Create(Admin, DateTimeOffset.UtcNow, factory.Jwks.Key, Issuer, Audience);
        var me = await factory.CreateClient().WithToken(token).GetFromJsonAsync<ApiCaller>("/api/v1/me");
        Assert.Equal("管理员", me!.Name);
    }

    [Fact]
    public async Task Token_for_another_audience_is_rejected()
    {
        var token = DevTokens.Create(Admin, DateTimeOffset.UtcNow, factory.Jwks.Key, Issuer, "another-service");
        var response = await factory.CreateClient().WithToken(token).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_AUDIENCE");
    }

    [Fact]
    public async Task Token_from_another_issuer_is_rejected()
    {
        var token = DevTokens.Create(Admin, DateTimeOffset.UtcNow, factory.Jwks.Key, "https://idp.elsewhere.example", Audience);
        var response = await factory.CreateClient().WithToken(token).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_ISSUER");
    }

    [Fact]
    public async Task Expired_token_is_rejected()
    {
        var token = DevTokens.Create(Admin with { Minutes = -10 }, DateTimeOffset.UtcNow, factory.Jwks.Key, Issuer, Audience);
        var response = await factory.CreateClient().WithToken(token).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_EXPIRED");
    }

    [Fact]
    public async Task Development_token_is_rejected_in_production()
    {
        var token = DevTokens.Create(Admin, DateTimeOffset.UtcNow);
        var response = await factory.CreateClient().WithToken(token).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_ISSUER");
    }

    [Fact]
    public async Task Dev_key_with_the_production_issuer_is_rejected()
    {
        var token = DevTokens.Create(Admin, DateTimeOffset.UtcNow, DevTokens.SigningKey, Issuer, Audience);
        var response = await factory.CreateClient().WithToken(token).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_SIGNATURE");
    }

}

/// <summary>Keys from a JWKS URL (<c>Auth:JwksUrl</c>).</summary>
public sealed class ProductionAuthTests(ProductionAuthTests.Factory factory) : ProductionAuthChecks(factory), IClassFixture<ProductionAuthTests.Factory>
{
    public enum KeySource
    {
        JwksUrl,
        Authority,
        MetadataAddress,
    }

    [Fact]
    public void Host_without_issuer_configuration_refuses_to_start()
    {
        var error = Assert.ThrowsAny<Exception>(() => new UnconfiguredFactory());
        Assert.Contains("Auth:", error.ToString());
    }

    /// <summary>One fresh P-256 key as a JWKS document and an OpenID discovery document naming it, on a loopback port.</summary>
    public sealed class JwksServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        public JwksServer()
        {
            Key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "prod-1" };
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(Key.ECDsa.ExportParameters(false))) { KeyId = Key.KeyId });
            var document = $$"""{"keys":[{"kty":"EC","crv":"{{jwk.Crv}}","x":"{{jwk.X}}","y":"{{jwk.Y}}","kid":"{{jwk.Kid}}","use":"sig","alg":"ES256"}]}""";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapGet("/jwks", () => Results.Text(document, "application/json"));
            _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = Url + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
            }));
            _app.StartAsync().GetAwaiter().GetResult();
            Url = _app.Urls.First();
        }

        public ECDsaSecurityKey Key { get; }

        public string Url { get; }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    public class Factory : SealApiFactory
    {
        public Factory()
            : this(KeySource.JwksUrl)
        {
        }

        protected Factory(KeySource source)
            : this(new JwksServer(), source)
        {
        }

        // The server is passed down the constructor chain, not through a static: xunit builds the three factories in
        // parallel, and a shared field let one factory sign its tokens with another's key (TOKEN_INVALID_SIGNATURE).
        private Factory(JwksServer jwks, KeySource source)
            : base(Settings(jwks, source), "Production")
        {
            Jwks = jwks;
        }

        public JwksServer Jwks { get; }

        private static Dictionary<string, string?> Settings(JwksServer jwks, KeySource source)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Auth:UseDevKey"] = "false",
                ["Auth:Issuer"] = Issuer,
                ["Auth:Audience"] = Audience,
                ["Auth:RequireHttpsMetadata"] = "false",
                ["Ledger:KeyPath"] = Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.p12"),
                ["Ledger:KeyPassphrase"] = "sealservice-dev",
            };
            var key = source switch
            {
                KeySource.JwksUrl => ("Auth:JwksUrl", jwks.Url + "/jwks"),
                KeySource.Authority => ("Auth:Authority", jwks.Url),
                _ => ("Auth:MetadataAddress", jwks.Url + "/.well-known/openid-configuration"),
            };
            settings[key.Item1] = key.Item2;
            return settings;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
                Jwks.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void Host_without_a_ledger_key_refuses_to_start()
    {
        var error = Assert.ThrowsAny<Exception>(() => new NoLedgerKeyFactory());
        Assert.Contains("Ledger:KeyPath", error.ToString());
    }

    private sealed class NoLedgerKeyFactory() : SealApiFactory(
        new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "false",
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            ["Auth:JwksUrl"] = "http://127.0.0.1:9/jwks.json",
            ["Auth:RequireHttpsMetadata"] = "false",
        },
        "Production");

    private sealed class UnconfiguredFactory() : SealApiFactory(
        new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "false",
            ["Ledger:KeyPath"] = Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger.p12"),
            ["Ledger:KeyPassphrase"] = "sealservice-dev",
        },
        "Production");
}

/// <summary>Keys from the OpenID discovery document under <c>Auth:Authority</c>.</summary>
public sealed class ProductionAuthorityTests(ProductionAuthorityTests.AuthorityFactory factory)
    : ProductionAuthChecks(factory), IClassFixture<ProductionAuthorityTests.AuthorityFactory>
{
    public sealed class AuthorityFactory() : ProductionAuthTests.Factory(ProductionAuthTests.KeySource.Authority);
}

/// <summary>Keys from an explicit discovery document (<c>Auth:MetadataAddress</c>).</summary>
public sealed class ProductionMetadataAddressTests(ProductionMetadataAddressTests.MetadataFactory factory)
    : ProductionAuthChecks(factory), IClassFixture<ProductionMetadataAddressTests.MetadataFactory>
{
    public sealed class MetadataFactory() : ProductionAuthTests.Factory(ProductionAuthTests.KeySource.MetadataAddress);
}
