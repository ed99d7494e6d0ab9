using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace SealService.Keys.Crypto;

/// <summary>SHA-256 through .NET (OpenSSL underneath).</summary>
public sealed class Sha256ContentHasher : IContentHasher
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}

/// <summary>SHA-384 or SHA-512 (or any .NET hash), for verifying signatures other products made.</summary>
public sealed class IncrementalContentHasher(HashAlgorithmName name) : IContentHasher
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}

/// <summary>SM3 through BouncyCastle (.NET has none).</summary>
public sealed class Sm3ContentHasher : IContentHasher
{
    private readonly SM3Digest _digest = new();

    public void Append(ReadOnlySpan<byte> data) => _digest.BlockUpdate(data);

    public byte[] Finish()
    {
        var result = new byte[_digest.GetDigestSize()];
        _digest.DoFinal(result, 0);
        return result;
    }

    public void Dispose()
    {
    }
}

public static class ContentHashers
{
    public static IContentHasher For(SealKeyAlgorithm algorithm) =>
        algorithm == SealKeyAlgorithm.Sm2 ? new Sm3ContentHasher() : new Sha256ContentHasher();

    public static byte[] Hash(SealKeyAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = For(algorithm);
        hasher.Append(data);
        return hasher.Finish();
    }
}
