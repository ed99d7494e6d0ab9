using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SealService.Keys.Pki;

/// <summary>Fresh key pairs. RSA and P-256 come from .NET (fast prime search); SM2 from BouncyCastle.</summary>
public static class KeyGenerator
{
    public static AsymmetricCipherKeyPair Generate(SealKeyAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case SealKeyAlgorithm.Rsa:
                {
                    using var rsa = RSA.Create(2048);
                    var key = (RsaPrivateCrtKeyParameters)PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
                    return new AsymmetricCipherKeyPair(new RsaKeyParameters(false, key.Modulus, key.PublicExponent), key);
                }

            case SealKeyAlgorithm.Ecdsa:
                {
                    using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    var key = (ECPrivateKeyParameters)PrivateKeyFactory.CreateKey(ec.ExportPkcs8PrivateKey());
                    return new AsymmetricCipherKeyPair(PublicOf(key), key);
                }

            default:
                {
                    var generator = new ECKeyPairGenerator("EC");
                    generator.Init(new ECKeyGenerationParameters(GMObjectIdentifiers.sm2p256v1, new SecureRandom()));
                    return generator.GenerateKeyPair();
                }
        }
    }

    public static ECPublicKeyParameters PublicOf(ECPrivateKeyParameters key) =>
        new(key.AlgorithmName, key.Parameters.G.Multiply(key.D).Normalize(), key.Parameters);
}
