using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SealService.Api.Errors;

namespace SealService.Api.Auth;

public static class AuthSetup
{
    public const string CanAdminister = "registry-admin";
    public const string CanManage = "manage";
    public const string CanCheckStamps = "check-stamps";

    public static IServiceCollection AddSealAuth(this IServiceCollection services, IConfiguration configuration)
    {
        // Fail closed at start: outside development the issuer, audience and key source must be configured.
        services.AddOptions<SealAuthOptions>()
            .Bind(configuration.GetSection(SealAuthOptions.Section))
            .Validate(o => o.UseDevKey || (!string.IsNullOrWhiteSpace(o.Issuer) && !string.IsNullOrWhiteSpace(o.Audience)),
                "Auth:Issuer and Auth:Audience are required unless Auth:UseDevKey is true")
            .Validate(o => o.UseDevKey || !string.IsNullOrWhiteSpace(o.JwksUrl) || !string.IsNullOrWhiteSpace(o.Authority) || !string.IsNullOrWhiteSpace(o.MetadataAddress),
                "Auth needs Authority, MetadataAddress or JwksUrl (or UseDevKey in development)")
            .ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SealAuthOptions>>((jwt, options) => Configure(jwt, options.Value));

        services.AddAuthorizationBuilder()
            .AddPolicy(CanAdminister, p => p.RequireRole(SealClaims.RegistryAdmin))
            .AddPolicy(CanManage, p => p.RequireRole(SealClaims.RegistryAdmin, SealClaims.DepartmentOfficer))
            .AddPolicy(CanCheckStamps, p => p.RequireRole(SealClaims.RegistryAdmin, SealClaims.DepartmentOfficer, SealClaims.TownshipClerk, SealClaims.Auditor));
        return services;
    }

    private static void Configure(JwtBearerOptions jwt, SealAuthOptions options)
    {
        jwt.MapInboundClaims = false;
        jwt.IncludeErrorDetails = false;
        jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds),
            NameClaimType = SealClaims.Name,
            RoleClaimType = SealClaims.Role,
            // Asymmetric algorithms only: no "none", no HMAC with a public key.
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
        };

        if (options.UseDevKey)
        {
            parameters.ValidIssuer = Or(options.Issuer, SealClaims.DevIssuer);
            parameters.ValidAudience = Or(options.Audience, SealClaims.DevAudience);
            parameters.IssuerSigningKey = DevTokens.SigningKey;
        }
        else
        {
            parameters.ValidIssuer = options.Issuer;
            parameters.ValidAudience = options.Audience;
            if (!string.IsNullOrWhiteSpace(options.JwksUrl))
            {
                jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    options.JwksUrl, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata });
            }
            else
            {
                jwt.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
                if (!string.IsNullOrWhiteSpace(options.MetadataAddress))
                    jwt.MetadataAddress = options.MetadataAddress;
            }
        }

        jwt.TokenValidationParameters = parameters;
        jwt.Events = new JwtBearerEvents
        {
            // Remember why validation failed; the status-code page turns it into the ProblemDetails code.
            OnAuthenticationFailed = context =>
            {
                ApiProblems.SetCode(context.HttpContext, TokenFailure.Classify(context.Exception, context.Request));
                return Task.CompletedTask;
            },
            // A well-signed token must still describe a usable caller.
            OnTokenValidated = context =>
            {
                if (context.Principal is null || ApiCaller.From(context.Principal, out var problem) is null)
                {
                    ApiProblems.SetCode(context.HttpContext, ErrorCodes.TokenClaimsInvalid);
                    context.Fail("token claims do not describe a caller");
                }
                return Task.CompletedTask;
            },
        };
    }

    private static string Or(string value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
