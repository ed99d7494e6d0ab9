using Microsoft.Extensions.Options;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Verification;
using SealService.Pdf.Verification;

namespace SealService.Api.Verification;

/// <summary>Section "Verification".</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>PEM files of the trust anchors (root certificates). Development default: certs-dev/root-ca.pem.</summary>
    public string[] TrustAnchors { get; set; } = [];

    /// <summary>Lets POST /api/v1/verifications answer without a token (the public page never needs one).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest file accepted for verification (REST and the page): 413 PDF_TOO_LARGE beyond.</summary>
    public long MaxUploadBytes { get; set; } = 32L << 20;

    /// <summary>
    /// Fetch the signer certificate's revocation now (OCSP, else CRL: the URLs in the certificate; in Development the dev
    /// CA) before falling back to what the document carries, so a revocation after signing is reported. Off: offline.
    /// </summary>
    public bool FetchRevocation { get; set; }
}

public static class VerificationSetup
{
    public static IServiceCollection AddSealVerification(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.Section))
            .Validate(o => o.MaxUploadBytes is > 0 and <= 1L << 31, "Verification:MaxUploadBytes must be 1 byte..2 GiB")
            .Validate(o => o.TrustAnchors.All(File.Exists), "every Verification:TrustAnchors file must exist")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VerificationOptions>>().Value;
            var anchors = options.TrustAnchors.Length > 0 || !environment.IsDevelopment()
                ? options.TrustAnchors
                : [Path.Combine(AppContext.BaseDirectory, "certs-dev", "root-ca.pem")];
            var roots = anchors.Select(DevPki.ReadPem).ToList();
            return new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = roots })),
                options.FetchRevocation ? sp.GetRequiredService<IRevocationClient>() : null);
        });
        services.AddSingleton<DocumentVerifier>();
        return services;
    }
}
