using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Keys;
using SealService.Keys.Revocation;
using SealService.Keys.Store;

namespace SealService.Api.Pki;

/// <summary>
/// A seal's registry status is its certificate's: suspended → certificateHold, revoked → revoked, retired →
/// cessationOfOperation (signatures made before stay valid, no new ones), each from the time the seal entered that
/// status. Read fresh on every question, so a revocation is in the next answer. The CA's own service certificates (the
/// dev TSA's and the ledger's, <paramref name="services"/>) are good: they are no seal's.
/// </summary>
internal sealed class RegistryCertificateStatus(IRegistryStore registry, ISealKeyStore keys, X509Certificate issuer, IReadOnlyCollection<BigInteger> services)
    : ICertificateStatusSource
{
    public async Task<RevocationStatus?> FindAsync(BigInteger serialNumber, CancellationToken cancellationToken)
    {
        if (services.Contains(serialNumber))
            return RevocationStatus.Good;

        await foreach (var (seal, certificate) in IssuedAsync(cancellationToken))
        {
            if (certificate.SerialNumber.Equals(serialNumber))
                return await StatusOfAsync(seal, cancellationToken);
        }

        return null;
    }

    public async Task<IReadOnlyList<(BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken)
    {
        var revoked = new List<(BigInteger, RevocationStatus)>();
        await foreach (var (seal, certificate) in IssuedAsync(cancellationToken))
        {
            if (seal.Status != SealStatus.Active)
                revoked.Add((certificate.SerialNumber, await StatusOfAsync(seal, cancellationToken)));
        }

        return revoked;
    }

    private async Task<RevocationStatus> StatusOfAsync(Seal seal, CancellationToken cancellationToken)
    {
        if (seal.Status == SealStatus.Active)
            return RevocationStatus.Good;
        // The time it entered its status: the oldest of the newest versions that all have it.
        var since = seal.Change.At;
        foreach (var version in (await registry.Seals.GetHistoryAsync(seal.Id, cancellationToken)).OrderByDescending(v => v.Version))
        {
            if (version.Status != seal.Status)
                break;
            since = version.Change.At;
        }

        return new RevocationStatus(since, seal.Status switch
        {
            SealStatus.Suspended => RevocationReason.CertificateHold,
            SealStatus.Retired => RevocationReason.CessationOfOperation,
            _ => RevocationReason.Unspecified,
        });
    }

    /// <summary>Every registry seal whose key exists and whose certificate this CA issued.</summary>
    private async IAsyncEnumerable<(Seal Seal, X509Certificate Certificate)> IssuedAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += Limits.PageSizeMax)
        {
            var page = await registry.Seals.ListAsync(new RegistryFilter(), new PageRequest(offset, Limits.PageSizeMax), cancellationToken);
            foreach (var seal in page.Items)
            {
                X509Certificate? certificate;
                try
                {
                    certificate = await keys.FindCertificateAsync(seal.KeyRef, cancellationToken);
                }
                catch (KeysException)
                {
                    continue; // unreadable key: readiness reports it
                }

                if (certificate is not null && certificate.IssuerDN.Equivalent(issuer.SubjectDN))
                    yield return (seal, certificate);
            }

            if (page.Items.Count < Limits.PageSizeMax)
                break;
        }
    }
}
