using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;
using SealService.Keys.Store;

namespace SealService.Keys.Signing;

/// <summary>
/// A key held in this process (from a PKCS#12 file): RSA and ECDSA are imported once into .NET (OpenSSL, ~20x
/// BouncyCastle's managed RSA, and a fresh EVP context per call so one key serves many threads); SM2 stays a
/// BouncyCastle key. The private key is not exposed.
/// </summary>
public sealed class SoftwareSigner : IRawSigner, IDisposable
{
    private readonly AsymmetricAlgorithm? _dotNetKey;
    private readonly ECPrivateKeyParameters? _sm2Key;

    private SoftwareSigner(SealKeyAlgorithm algorithm, AsymmetricAlgorithm? dotNetKey, ECPrivateKeyParameters? sm2Key,
        X509Certificate certificate, IReadOnlyList<X509Certificate> chain, string sm2Id)
    {
        Algorithm = algorithm;
        _dotNetKey = dotNetKey;
        _sm2Key = sm2Key;
        Certificate = certificate;
        Chain = chain;
        Sm2DistinguishingId = sm2Id;
    }

    public SealKeyAlgorithm Algorithm { get; }

    public X509Certificate Certificate { get; }

    public IReadOnlyList<X509Certificate> Chain { get; }

    public string Sm2DistinguishingId { get; }

    public int MaxSignatureLength => _dotNetKey is RSA rsa ? (rsa.KeySize + 7) / 8 : 80;

    /// <summary>Opens a PKCS#12 file (key, certificate, chain).</summary>
    public static SoftwareSigner FromPkcs12(string path, string passphrase, string sm2DistinguishingId = Sm2.DefaultId) =>
        Create(Pkcs12Files.Load(path, passphrase), sm2DistinguishingId);

    internal static SoftwareSigner Create(Pkcs12Content content, string sm2DistinguishingId = Sm2.DefaultId) =>
        Create(content.PrivateKey, content.Certificate, content.Chain, sm2DistinguishingId);

    internal static SoftwareSigner Create(AsymmetricKeyParameter privateKey, X509Certificate certificate, IReadOnlyList<X509Certificate> chain,
        string sm2DistinguishingId = Sm2.DefaultId)
    {
        switch (privateKey)
        {
            case RsaPrivateCrtKeyParameters:
                {
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(Pkcs8(privateKey), out _);
                    return new SoftwareSigner(SealKeyAlgorithm.Rsa, rsa, null, certificate, chain, sm2DistinguishingId);
                }

            case ECPrivateKeyParameters ec when Sm2.IsSm2(ec):
                return new SoftwareSigner(SealKeyAlgorithm.Sm2, null, ec, certificate, chain, sm2DistinguishingId);
            case ECPrivateKeyParameters:
                {
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportPkcs8PrivateKey(Pkcs8(privateKey), out _);
                    if (ecdsa.KeySize != 256)
                    {
                        ecdsa.Dispose();
                        throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, "Only the P-256 curve is supported for ECDSA.");
                    }

                    return new SoftwareSigner(SealKeyAlgorithm.Ecdsa, ecdsa, null, certificate, chain, sm2DistinguishingId);
                }

            default:
                throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, $"Unsupported private key type {privateKey.GetType().Name}.");
        }
    }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        if (digest.Length != SignatureDigest.Length)
        {
            throw new KeysException(KeyErrorCodes.DigestInvalid, $"A digest to sign is {SignatureDigest.Length} bytes, got {digest.Length}.");
        }

        return ValueTask.FromResult(_dotNetKey switch
        {
            RSA rsa => rsa.SignHash(digest.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignHash(digest.Span, DSASignatureFormat.Rfc3279DerSequence),
            _ => Sm2.SignE(_sm2Key!, digest.Span),
        });
    }

    public void Dispose() => _dotNetKey?.Dispose();

    private static byte[] Pkcs8(AsymmetricKeyParameter key) => PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded();
}
