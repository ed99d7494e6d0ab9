using Org.BouncyCastle.X509;

namespace SealService.Keys;

/// <summary>A signed attribute beyond the CAdES baseline ones: its OID and the DER of its single value.</summary>
public sealed record CmsSignedAttribute(string Oid, byte[] DerValue);

/// <summary>PAdES signature levels this service produces.</summary>
public enum PadesLevel
{
    BaselineB,
    BaselineT,
}

/// <summary>
/// Incremental hash over the bytes a signature covers (the PDF ByteRange). The algorithm is the
/// signer's choice: SHA-256 for RSA and ECDSA, SM3 for SM2.
/// </summary>
public interface IContentHasher : IDisposable
{
    void Append(ReadOnlySpan<byte> data);

    byte[] Finish();
}

/// <summary>
/// Creates detached CMS SignedData (CAdES, as PAdES wants it) for one seal's key. The PDF side
/// hashes the ByteRange with <see cref="CreateHasher"/>, asks for the CMS over that digest and
/// writes it into the reserved /Contents.
/// </summary>
public interface ICmsSignatureCreator
{
    /// <summary>Upper bound in bytes of what <see cref="CreateAsync"/> returns for any level.</summary>
    int MaxSignatureSize { get; }

    /// <summary>The certificate whose key signs (callers check its profile before they sign).</summary>
    X509Certificate SignerCertificate { get; }

    IContentHasher CreateHasher();

    /// <param name="extraSignedAttributes">Signed after the baseline attributes; <see cref="MaxSignatureSize"/> does not
    /// include them, so a caller reserves their length on top.</param>
    Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level,
        IReadOnlyList<CmsSignedAttribute>? extraSignedAttributes = null, CancellationToken cancellationToken = default);
}
