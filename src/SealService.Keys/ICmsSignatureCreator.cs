namespace SealService.Keys;

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

    IContentHasher CreateHasher();

    Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level, CancellationToken cancellationToken = default);
}
