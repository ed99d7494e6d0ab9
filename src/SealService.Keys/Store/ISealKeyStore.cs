using Org.BouncyCastle.X509;

namespace SealService.Keys.Store;

/// <summary>A seal's signer: the CMS creator plus its certificate and chain (issuer first).</summary>
public sealed record SealKey(string KeyReference, ICmsSignatureCreator Creator, X509Certificate Certificate, IReadOnlyList<X509Certificate> Chain);

/// <summary>Subject of a development seal certificate issued on demand.</summary>
public sealed record SealCertificateSubject(string SealText, string Organisation, SealKeyAlgorithm? Algorithm = null);

/// <summary>
/// Where seal keys live. Key references look like <c>seals/&lt;sealId&gt;</c>. The file store
/// below is the first implementation; an HSM/PKCS#11 store (Pkcs11Interop) can implement the same
/// interface by returning a creator whose signature factory calls the token.
/// </summary>
public interface ISealKeyStore
{
    /// <param name="keyReference">e.g. <c>seals/seal-mudan-spj-shatu</c>.</param>
    /// <param name="issueIfMissing">Development stores only: subject for a certificate issued when the key does not exist yet.</param>
    Task<SealKey> GetAsync(string keyReference, SealCertificateSubject? issueIfMissing = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The key's certificate if the key exists, else null; never issues one (readiness reads certificate expiry with it).
    /// Throws <see cref="KeysException"/> when the key exists but cannot be read.
    /// </summary>
    async Task<X509Certificate?> FindCertificateAsync(string keyReference, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetAsync(keyReference, null, cancellationToken).ConfigureAwait(false)).Certificate;
        }
        catch (KeysException e) when (e.Code == KeyErrorCodes.KeyNotFound)
        {
            return null;
        }
    }

    /// <summary>For readiness checks: null when keys can be read now, else what stops it (never a secret).</summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
