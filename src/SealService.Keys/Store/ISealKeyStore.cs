using Org.BouncyCastle.X509;
using SealService.Keys.Signing;

namespace SealService.Keys.Store;

/// <summary>A seal's signer (its key operation, certificate and chain) and the CMS creator built on it.</summary>
public sealed record SealKey(string KeyReference, IRawSigner Signer, ICmsSignatureCreator Creator)
{
    public X509Certificate Certificate => Signer.Certificate;

    /// <summary>Issuer first, root last.</summary>
    public IReadOnlyList<X509Certificate> Chain => Signer.Chain;
}

/// <summary>Subject of a development seal certificate issued on demand.</summary>
public sealed record SealCertificateSubject(string SealText, string Organisation, SealKeyAlgorithm? Algorithm = null);

/// <summary>
/// Where seal keys live: PKCS#12 files (<see cref="FileSealKeyStore"/>) or a PKCS#11 token. Key references look
/// like <c>seals/&lt;sealId&gt;</c>. A store hands out signers, never private keys.
/// </summary>
public interface ISealKeyStore
{
    /// <param name="keyReference">e.g. <c>seals/seal-mudan-spj-shatu</c>.</param>
    Task<SealKey> GetAsync(string keyReference, CancellationToken cancellationToken = default);

    /// <summary>
    /// The key's certificate if the key exists, else null (readiness reads certificate expiry with it).
    /// Throws <see cref="KeysException"/> when the key exists but cannot be read.
    /// </summary>
    async Task<X509Certificate?> FindCertificateAsync(string keyReference, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetAsync(keyReference, cancellationToken).ConfigureAwait(false)).Certificate;
        }
        catch (KeysException e) when (e.Code == KeyErrorCodes.KeyNotFound)
        {
            return null;
        }
    }

    /// <summary>For readiness checks: null when keys can be read now, else what stops it (never a secret).</summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}

/// <summary>
/// Development only, and not part of the production port: issues a seal's key and certificate from the dev CA
/// the first time the seal stamps, with the registry's seal text. The host registers one only in Development.
/// </summary>
public interface IDevSealIssuer
{
    Task EnsureAsync(string keyReference, SealCertificateSubject subject, CancellationToken cancellationToken = default);
}
