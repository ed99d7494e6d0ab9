using Microsoft.Extensions.Options;
using SealService.Api.Hosting;
using SealService.Domain.Ports;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Store;

namespace SealService.Api.Pki;

/// <summary>
/// Development only: the dev CA's revocation service, anonymous as relying parties expect — <c>GET /pki/crl</c> (DER
/// CRL) and OCSP at <c>POST /pki/ocsp</c> (RFC 6960 A.1) or <c>GET /pki/ocsp/{base64}</c>. A production CA runs its own;
/// its URLs are in the certificates it issues. Dev seals carry these URLs when Keys:DevCrlUrl / Keys:DevOcspUrl are set.
/// </summary>
public static class DevPkiEndpoints
{
    public static IServiceCollection AddSealDevPki(this IServiceCollection services, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            return services;
        services.AddSingleton(sp =>
        {
            var keys = sp.GetRequiredService<ISealKeyStore>();
            var folder = StampingSetup.KeyOptions(sp, environment)?.Directory
                ?? throw new InvalidOperationException("the development CA needs the file key store's folder");
            var ca = new DevPki(folder, sp.GetRequiredService<IOptions<FileKeyStoreOptions>>().Value.Passphrase).OpenIssuingCa(); // lives with the host
            var serviceCertificates = new[] { DevPki.TsaFile, "ledger" }.Select(n => Path.Combine(folder, n + ".pem")).Where(File.Exists)
                .Select(p => DevPki.ReadPem(p).SerialNumber).ToList();
            return new RevocationAuthority(ca, new RegistryCertificateStatus(sp.GetRequiredService<IRegistryStore>(), keys, ca.Certificate, serviceCertificates),
                sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSealDevPki(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            return app;
        var pki = app.MapGroup("/pki").AllowAnonymous().ExcludeFromDescription();
        pki.MapGet("/crl", async (RevocationAuthority ca, CancellationToken ct) =>
            Results.Bytes(await ca.CreateCrlAsync(ct), "application/pkix-crl"));
        pki.MapPost("/ocsp", async (HttpRequest request, RevocationAuthority ca, CancellationToken ct) =>
        {
            if (request.ContentLength is > RevocationAuthority.MaxRequestBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            using var body = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (body.Length + read > RevocationAuthority.MaxRequestBytes)
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                body.Write(buffer, 0, read);
            }

            return Results.Bytes(await ca.RespondAsync(body.ToArray(), ct), "application/ocsp-response");
        });
        pki.MapGet("/ocsp/{*request}", async (string request, RevocationAuthority ca, CancellationToken ct) =>
        {
            byte[] der;
            try
            {
                der = Convert.FromBase64String(Uri.UnescapeDataString(request));
            }
            catch (FormatException)
            {
                der = [];
            }

            return Results.Bytes(await ca.RespondAsync(der, ct), "application/ocsp-response");
        });
        return app;
    }
}
