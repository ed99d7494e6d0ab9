using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.Nist;
using SealService.Api.Stamping;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Keys;
using SealService.Keys.Store;

namespace SealService.Api.Hosting.Health;

/// <summary>
/// The TSA issues a token (over a random digest) within the probe timeout. When the default level needs it (B-T and up)
/// every stamp is refused without it (fail closed), so the node is not ready; otherwise only stamps that ask for B-T and
/// up are, so it is degraded. No TSA: healthy, nothing to reach.
/// </summary>
internal sealed class TimeStampAuthorityCheck(SignatureTimeStamps stamps, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly CachedProbe _cache = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        stamps.Authority is null
            ? Task.FromResult(HealthCheckResult.Healthy("no TSA is configured: stamps are signed at B-B"))
            : _cache.GetAsync(options.Value.TsaProbeInterval, ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var name = stamps.ExternalHost is { } host ? $"the TSA {host}" : "the built-in development TSA";
        var data = new Dictionary<string, object> { ["tsa"] = stamps.ExternalHost ?? "development" };
        using var deadline = new CancellationTokenSource(options.Value.TsaProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await stamps.Authority!.GetTokenAsync(RandomNumberGenerator.GetBytes(32), NistObjectIdentifiers.IdSha256.Id, linked.Token);
            return HealthCheckResult.Healthy($"{name} issues time-stamps", data);
        }
        catch (KeysException e)
        {
            return Failed($"{name} issues no time-stamp, so stamps at B-T and up are refused: {e.Code}: {e.Message}", data);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"{name} did not answer within {options.Value.TsaProbeTimeout.TotalSeconds:0.#} s, so stamps at B-T and up are refused", data);
        }
    }

    private HealthCheckResult Failed(string message, Dictionary<string, object> data) =>
        stamps.Required ? HealthCheckResult.Unhealthy(message, data: data) : HealthCheckResult.Degraded(message, data: data);
}

/// <summary>
/// Certificates of the seals that may stamp (active or suspended) ending within the warning window, or already ended:
/// degraded, so the operator renews them before stamping stops. A seal without a key yet is skipped.
/// </summary>
internal sealed class SealCertificateExpiryCheck(IRegistryStore registry, ISealKeyStore keys, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    private const int Listed = 10;
    private readonly CachedProbe _cache = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _cache.GetAsync(options.Value.CertificateProbeInterval, ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var horizon = time.GetUtcNow() + options.Value.CertificateWarning;
        var days = (int)options.Value.CertificateWarning.TotalDays;
        var expiring = new List<string>();
        int read = 0, unreadable = 0;
        await foreach (var seal in SealsThatMayStampAsync(cancellationToken))
        {
            try
            {
                if (await keys.FindCertificateAsync(seal.KeyRef, cancellationToken) is not { } certificate)
                    continue;
                read++;
                var notAfter = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc));
                if (notAfter <= horizon)
                    expiring.Add($"{seal.Id} ({notAfter:yyyy-MM-dd})");
            }
            catch (KeysException)
            {
                unreadable++; // the keys check reports why
            }
        }

        var data = new Dictionary<string, object> { ["certificates"] = read, ["unreadable"] = unreadable, ["expiring"] = expiring };
        if (expiring.Count == 0)
            return HealthCheckResult.Healthy($"no seal certificate ends within {days} days", data);
        var shown = string.Join(", ", expiring.Take(Listed)) + (expiring.Count > Listed ? $", … ({expiring.Count - Listed} more)" : "");
        return HealthCheckResult.Degraded($"{expiring.Count} seal certificate(s) end within {days} days or have ended; renew them: {shown}", data: data);
    }

    private async IAsyncEnumerable<Seal> SealsThatMayStampAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var status in new[] { SealStatus.Active, SealStatus.Suspended })
        {
            for (var offset = 0; ; offset += Limits.PageSizeMax)
            {
                var page = await registry.Seals.ListAsync(new RegistryFilter(Status: Wire.Name(status)), new PageRequest(offset, Limits.PageSizeMax), cancellationToken);
                foreach (var seal in page.Items)
                    yield return seal;
                if (page.Items.Count < Limits.PageSizeMax)
                    break;
            }
        }
    }
}
