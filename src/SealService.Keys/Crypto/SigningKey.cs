using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;

namespace SealService.Keys.Crypto;

/// <summary>
/// A private key ready to sign: RSA and ECDSA are imported once into .NET (OpenSSL) for speed;
/// SM2 stays a BouncyCastle key. Build once, reuse for every signature.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm? _dotNetKey;

    private SigningKey(SealKeyAlgorithm algorithm, AsymmetricKeyParameter privateKey, AsymmetricAlgorithm? dotNetKey, ISignatureFactory factory)
    {
        Algorithm = algorithm;
        PrivateKey = privateKey;
        _dotNetKey = dotNetKey;
        SignatureFactory = factory;
    }

    public SealKeyAlgorithm Algorithm { get; }

    /// <summary>BouncyCastle form of the key (for PKCS#12 writing and SM2).</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Signs with the algorithm's hash (SHA-256 or SM3) through the fastest path.</summary>
    public ISignatureFactory SignatureFactory { get; }

    /// <summary>Upper bound of one raw signature value in bytes.</summary>
    public int MaxSignatureLength => _dotNetKey is RSA rsa ? (rsa.KeySize + 7) / 8 : 80;

    /// <summary>Raw signature over <paramref name="data"/> (hash included), e.g. for ledger tree heads.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var calculator = SignatureFactory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(data);
        }

        return calculator.GetResult().Collect();
    }

    /// <summary>Checks a raw signature made by <see cref="Sign"/> with the certificate's public key.</summary>
    public static bool Verify(Org.BouncyCastle.X509.X509Certificate certificate, ReadOnlySpan<byte> data, byte[] signature, string sm2DistinguishingId = Sm2SignatureFactory.DefaultId)
    {
        var key = certificate.GetPublicKey();
        try
        {
            if (key is ECPublicKeyParameters ec && IsSm2(ec))
            {
                return Sm2SignatureFactory.Verify(ec, data, signature, sm2DistinguishingId);
            }

            var verifier = Org.BouncyCastle.Security.SignerUtilities.GetSigner(key is RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA");
            verifier.Init(false, key);
            verifier.BlockUpdate(data);
            return verifier.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or CryptoException)
        {
            return false;
        }
    }

    public static SigningKey FromPrivateKey(AsymmetricKeyParameter privateKey, string sm2DistinguishingId = Sm2SignatureFactory.DefaultId)
    {
        switch (privateKey)
        {
            case RsaPrivateCrtKeyParameters:
                {
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(Pkcs8(privateKey), out _);
                    return new SigningKey(SealKeyAlgorithm.Rsa, privateKey, rsa, new DotNetSignatureFactory(rsa));
                }

            case ECPrivateKeyParameters ec when IsSm2(ec):
                return new SigningKey(SealKeyAlgorithm.Sm2, privateKey, null, new Sm2SignatureFactory(ec, sm2DistinguishingId));
            case ECPrivateKeyParameters:
                {
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportPkcs8PrivateKey(Pkcs8(privateKey), out _);
                    if (ecdsa.KeySize != 256)
                    {
                        ecdsa.Dispose();
                        throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, "Only the P-256 curve is supported for ECDSA.");
                    }

                    return new SigningKey(SealKeyAlgorithm.Ecdsa, privateKey, ecdsa, new DotNetSignatureFactory(ecdsa));
                }

            default:
                throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported, $"Unsupported private key type {privateKey.GetType().Name}.");
        }
    }

    public static bool IsSm2(ECKeyParameters key) =>
        key.Parameters is ECNamedDomainParameters named && named.Name.Equals(GMObjectIdentifiers.sm2p256v1)
        || key.Parameters.Curve.Equals(GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1).Curve);

    public void Dispose() => _dotNetKey?.Dispose();

    private static byte[] Pkcs8(AsymmetricKeyParameter key) => PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded();
}
