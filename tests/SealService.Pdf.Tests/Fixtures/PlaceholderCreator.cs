using System.Security.Cryptography;
using SealService.Keys;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>
/// For structure-only tests: hashes for real but returns no CMS, so /Contents stays the zero-filled
/// placeholder. Never used by a test that claims a signature is valid.
/// </summary>
public sealed class PlaceholderCreator : ICmsSignatureCreator
{
    public int MaxSignatureSize => 8192;

    public IContentHasher CreateHasher() => new Sha256();

    public Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level, CancellationToken cancellationToken = default)
        => Task.FromResult(Array.Empty<byte>());

    private sealed class Sha256 : IContentHasher
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public byte[] Finish() => _hash.GetHashAndReset();

        public void Dispose() => _hash.Dispose();
    }
}
