using System.Security.Cryptography;
using Org.BouncyCastle.X509;
using SealService.Keys;
using SealService.Keys.Pki;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>
/// For structure-only tests: hashes for real but returns no CMS, so /Contents stays the zero-filled
/// placeholder. Never used by a test that claims a signature is valid.
/// </summary>
public sealed class PlaceholderCreator : ICmsSignatureCreator
{
    // A self-issued certificate of the seal profile: the signer checks the profile before it writes anything.
    private static readonly Lazy<X509Certificate> Certificate = new(() =>
    {
        var keys = KeyGenerator.Generate(SealKeyAlgorithm.Ecdsa);
        var signer = new Org.BouncyCastle.Crypto.Operators.Asn1SignatureFactory("SHA256WITHECDSA", keys.Private);
        var name = CertificateFactory.Name("结构测试章", "SealService tests", null);
        return CertificateFactory.Issue(CertificateProfile.Seal, name, keys.Public, name, keys.Public, signer,
            DateTime.UtcNow.Date.AddDays(-1), DateTime.UtcNow.Date.AddYears(1));
    });

    public int MaxSignatureSize => 8192;

    public X509Certificate SignerCertificate => Certificate.Value;

    public IContentHasher CreateHasher() => new Sha256();

    public Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level,
        IReadOnlyList<CmsSignedAttribute>? extraSignedAttributes = null, CancellationToken cancellationToken = default)
        => Task.FromResult(Array.Empty<byte>());

    private sealed class Sha256 : IContentHasher
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public byte[] Finish() => _hash.GetHashAndReset();

        public void Dispose() => _hash.Dispose();
    }
}
