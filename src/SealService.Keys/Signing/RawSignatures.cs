using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Signing;

/// <summary>Checks a raw signature over data (not a digest) with a certificate's public key, by BouncyCastle.</summary>
public static class RawSignatures
{
    public static bool Verify(X509Certificate certificate, ReadOnlySpan<byte> data, byte[] signature, string sm2DistinguishingId = Sm2.DefaultId)
    {
        var key = certificate.GetPublicKey();
        try
        {
            if (key is ECPublicKeyParameters ec && Sm2.IsSm2(ec))
            {
                return Sm2.Verify(ec, data, signature, sm2DistinguishingId);
            }

            var verifier = SignerUtilities.GetSigner(key is RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA");
            verifier.Init(false, key);
            verifier.BlockUpdate(data);
            return verifier.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or CryptoException)
        {
            return false;
        }
    }
}
