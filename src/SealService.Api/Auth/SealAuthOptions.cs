namespace SealService.Api.Auth;

/// <summary>Bound from the "Auth" configuration section.</summary>
public sealed class SealAuthOptions
{
    public const string Section = "Auth";

    /// <summary>Accept tokens signed with the committed development key (never in production).</summary>
    public bool UseDevKey { get; set; }

    public string Issuer { get; set; } = "";
    public string Audience { get; set; } = "";

    /// <summary>OpenID Connect authority; its discovery document supplies the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Explicit discovery document address, when it is not under the authority.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>A bare JWKS document, for issuers without OpenID discovery.</summary>
    public string? JwksUrl { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Allowed clock difference when checking exp/nbf.</summary>
    public int ClockSkewSeconds { get; set; } = 30;
}
