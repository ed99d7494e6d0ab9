using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>Every way a bearer token can be wrong gets 401 and its own code.</summary>
public sealed class AuthTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    private static readonly DevTokenRequest Clerk = new(SealClaims.TownshipClerk, "李四", TownshipId: "t-1");

    private Task<HttpResponseMessage> Me(string? token)
    {
        var client = factory.CreateClient();
        if (token is not null)
            client.WithToken(token);
        return client.GetAsync("/api/v1/me");
    }

    [Fact]
    public async Task Valid_dev_token_is_accepted_and_claims_are_read()
    {
        var response = await Me(Tokens.For(SealClaims.DepartmentOfficer, "王五", department: "d-9"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<ApiCaller>();
        Assert.Equal(new ApiCaller("王五", SealClaims.DepartmentOfficer, "d-9", null), me);
    }

    [Fact]
    public async Task No_token_is_401_unauthenticated()
    {
        var response = await Me(null);
        await response.AssertProblem(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Garbage_token_is_401_token_invalid() =>
        await (await Me("not.a.jwt")).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID");

    [Fact]
    public async Task Unsigned_alg_none_token_is_401_token_unsigned()
    {
        // Same claims as a good token, but header alg "none" and no signature part.
        var good = DevTokens.Create(Clerk, DateTimeOffset.UtcNow);
        var payload = good.Split('.')[1];
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        await (await Me($"{header}.{payload}.")).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_UNSIGNED");
    }

    [Fact]
    public async Task Wrong_issuer_is_401_token_invalid_issuer()
    {
        var token = DevTokens.Create(Clerk, DateTimeOffset.UtcNow, DevTokens.SigningKey, "someone-else", SealClaims.DevAudience);
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_ISSUER");
    }

    [Fact]
    public async Task Wrong_audience_is_401_token_invalid_audience()
    {
        var token = DevTokens.Create(Clerk, DateTimeOffset.UtcNow, DevTokens.SigningKey, SealClaims.DevIssuer, "another-service");
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_AUDIENCE");
    }

    [Fact]
    public async Task Expired_token_is_401_token_expired()
    {
        var token = DevTokens.Create(Clerk with { Minutes = -10 }, DateTimeOffset.UtcNow);
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_EXPIRED");
    }

    [Theory]
    [InlineData(DevTokens.KeyId)]
    [InlineData("attacker-key")]
    public async Task Token_signed_with_another_key_is_401_token_invalid_signature(string keyId)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new ECDsaSecurityKey(other) { KeyId = keyId };
        var token = DevTokens.Create(Clerk, DateTimeOffset.UtcNow, key, SealClaims.DevIssuer, SealClaims.DevAudience);
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_SIGNATURE");
    }

    [Fact]
    public async Task Hmac_token_is_401_token_invalid_signature()
    {
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SealClaims.DevIssuer,
            Audience = SealClaims.DevAudience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["name"] = "x", ["role"] = SealClaims.RegistryAdmin },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_INVALID_SIGNATURE");
    }

    [Fact]
    public async Task Token_without_required_claims_is_401_token_claims_invalid()
    {
        var key = DevTokens.SigningKey;
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SealClaims.DevIssuer,
            Audience = SealClaims.DevAudience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            // A clerk with no township claim cannot be checked against any seal.
            Claims = new Dictionary<string, object> { ["name"] = "x", ["role"] = SealClaims.TownshipClerk },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
        await (await Me(token)).AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_CLAIMS_INVALID");
    }

    [Fact]
    public async Task Rejected_tokens_never_appear_in_the_logs()
    {
        var expired = DevTokens.Create(Clerk with { Minutes = -10 }, DateTimeOffset.UtcNow);
        var wrongIssuer = DevTokens.Create(Clerk, DateTimeOffset.UtcNow, DevTokens.SigningKey, "someone-else", SealClaims.DevAudience);
        await Me(expired);
        await Me(wrongIssuer);
        Assert.NotEmpty(factory.Logs);
        foreach (var token in new[] { expired, wrongIssuer })
            foreach (var part in token.Split('.'))
                Assert.DoesNotContain(factory.Logs, line => line.Contains(part, StringComparison.Ordinal));
    }
}
