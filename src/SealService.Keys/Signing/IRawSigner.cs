using Org.BouncyCastle.X509;

namespace SealService.Keys.Signing;

/// <summary>
/// The one key operation this service needs: sign a digest (pyHanko's <c>sign_raw</c> shape). CMS and PAdES
/// building, tree heads, audit manifests, CRLs and OCSP answers are all built around it, so a key in a file and a
/// key in an HSM are interchangeable and no private key ever leaves its store.
/// </summary>
public interface IRawSigner
{
    SealKeyAlgorithm Algorithm { get; }

    /// <summary>The certificate of this key.</summary>
    X509Certificate Certificate { get; }

    /// <summary>Certificates above <see cref="Certificate"/>, issuer first (may end with the root).</summary>
    IReadOnlyList<X509Certificate> Chain { get; }

    /// <summary>Upper bound of one signature value in bytes (DER for ECDSA and SM2).</summary>
    int MaxSignatureLength { get; }

    /// <summary>SM2 only: the distinguishing ID that enters the Z value of <see cref="SignatureDigest"/>.</summary>
    string Sm2DistinguishingId => Sm2.DefaultId;

    /// <summary>
    /// Signs a digest made by <see cref="SignatureDigest.Of"/>: SHA-256 for RSA (PKCS#1 v1.5) and ECDSA (DER r,s),
    /// SM3(Z ‖ M) for SM2 (DER r,s).
    /// </summary>
    ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default);
}
