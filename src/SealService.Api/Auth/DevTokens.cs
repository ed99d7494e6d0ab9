using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SealService.Api.Auth;

/// <summary>
/// Development tokens: ES256, signed with the committed DEVELOPMENT key certs-dev/jwt-dev.key.pem
/// (embedded in the host and in sealctl). Never accepted outside development configuration.
/// Linked into sealctl so that minting and validation use the same key and claims.
/// </summary>
internal static class DevTokens
{
    public const string KeyId = "sealservice-dev-1";
    private const string ResourceName = "SealService.DevJwtKey.pem";
    private static readonly Lazy<ECDsaSecurityKey> Key = new(LoadKey);

    /// <summary>The dev signing key (private; the host only uses it to verify).</summary>
    public static ECDsaSecurityKey SigningKey => Key.Value;

    public static string Create(DevTokenRequest request, DateTimeOffset now) =>
        Create(request, now, SigningKey, SealClaims.DevIssuer, SealClaims.DevAudience);

    /// <summary>Mints a token; the key, issuer and audience are parameters so tests can forge bad ones.</summary>
    public static string Create(DevTokenRequest request, DateTimeOffset now, SecurityKey key, string issuer, string audience)
    {
        Validate(request);
        var claims = new List<Claim>
        {
            new(SealClaims.Name, request.Name),
            new(SealClaims.Role, request.Role),
        };
        if (request.DepartmentId is { } dept)
            claims.Add(new Claim(SealClaims.Department, dept));
        if (request.TownshipId is { } township)
            claims.Add(new Claim(SealClaims.Township, township));

        // An expired test token (negative minutes) is issued five minutes before it expired.
        var expires = now.UtcDateTime.AddMinutes(request.Minutes);
        var issued = request.Minutes > 0 ? now.UtcDateTime : expires.AddMinutes(-5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        };
        descriptor.Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static void Validate(DevTokenRequest request)
    {
        if (!SealClaims.AllRoles.Contains(request.Role))
            throw new ArgumentException($"unknown role '{request.Role}' (one of: {string.Join(", ", SealClaims.AllRoles)})");
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            throw new ArgumentException("name is required (at most 200 characters)");
        if (request.Role == SealClaims.DepartmentOfficer && string.IsNullOrWhiteSpace(request.DepartmentId))
            throw new ArgumentException("a department-officer token needs --department");
        if (request.Role == SealClaims.TownshipClerk && string.IsNullOrWhiteSpace(request.TownshipId))
            throw new ArgumentException("a township-clerk token needs --township");
        if (request.Minutes is < -10080 or > 10080 or 0)
            throw new ArgumentException("minutes must be between 1 and 10080 (negative only to mint expired test tokens)");
    }

    private static ECDsaSecurityKey LoadKey()
    {
        using var stream = typeof(DevTokens).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded dev key {ResourceName} missing");
        using var reader = new StreamReader(stream);
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(reader.ReadToEnd());
        return new ECDsaSecurityKey(ecdsa) { KeyId = KeyId };
    }
}

/// <summary>What a development token says about its bearer.</summary>
internal sealed record DevTokenRequest(string Role, string Name, string? DepartmentId = null, string? TownshipId = null, int Minutes = 60);
