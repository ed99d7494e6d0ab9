using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace SealService.Keys.Signing;

/// <summary>
/// SM2 with SM3 (GB/T 32918; .NET has none). Split at the digest so the key operation fits <see cref="IRawSigner"/>:
/// e = SM3(Z ‖ M) with Z over the ID and the public key, then (r, s) from e. Verification stays BouncyCastle's
/// own SM2Signer, an independent check of the split.
/// </summary>
public static class Sm2
{
    /// <summary>GM/T 0009 default user ID.</summary>
    public const string DefaultId = "1234567812345678";

    public static bool IsSm2(ECKeyParameters key) =>
        key.Parameters is ECNamedDomainParameters named && named.Name.Equals(GMObjectIdentifiers.sm2p256v1)
        || key.Parameters.Curve.Equals(GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1).Curve);

    /// <summary>e = SM3(Z ‖ M), Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA).</summary>
    public static byte[] E(ECPublicKeyParameters publicKey, string distinguishingId, ReadOnlySpan<byte> message)
    {
        var id = Encoding.ASCII.GetBytes(distinguishingId);
        var digest = new SM3Digest();
        var bits = id.Length * 8;
        digest.Update((byte)(bits >> 8));
        digest.Update((byte)bits);
        digest.BlockUpdate(id);
        var p = publicKey.Parameters;
        foreach (var element in new[] { p.Curve.A, p.Curve.B, p.G.AffineXCoord, p.G.AffineYCoord, publicKey.Q.AffineXCoord, publicKey.Q.AffineYCoord })
        {
            digest.BlockUpdate(element.GetEncoded());
        }

        var z = new byte[32];
        digest.DoFinal(z, 0);
        digest.BlockUpdate(z);
        digest.BlockUpdate(message);
        var e = new byte[32];
        digest.DoFinal(e, 0);
        return e;
    }

    /// <summary>GB/T 32918.2 §6.1 steps A3–A7 on a given e; DER SEQUENCE { r, s }.</summary>
    internal static byte[] SignE(ECPrivateKeyParameters key, ReadOnlySpan<byte> e)
    {
        var n = key.Parameters.N;
        var d = key.D;
        var eValue = new BigInteger(1, e.ToArray());
        var random = new SecureRandom();
        var multiplier = new FixedPointCombMultiplier();
        while (true)
        {
            var k = BigIntegers.CreateRandomInRange(BigInteger.One, n.Subtract(BigInteger.One), random);
            var x1 = multiplier.Multiply(key.Parameters.G, k).Normalize().AffineXCoord.ToBigInteger();
            var r = eValue.Add(x1).Mod(n);
            if (r.SignValue == 0 || r.Add(k).Equals(n))
            {
                continue;
            }

            var s = d.Add(BigInteger.One).ModInverse(n).Multiply(k.Subtract(r.Multiply(d))).Mod(n);
            if (s.SignValue != 0)
            {
                return StandardDsaEncoding.Instance.Encode(n, r, s);
            }
        }
    }

    /// <summary>Checks an SM2 signature (DER r,s) over <paramref name="message"/> with BouncyCastle's SM2Signer.</summary>
    public static bool Verify(ECPublicKeyParameters publicKey, ReadOnlySpan<byte> message, byte[] signature, string distinguishingId = DefaultId)
    {
        var signer = new SM2Signer(new SM3Digest());
        signer.Init(false, new ParametersWithID(publicKey, Encoding.ASCII.GetBytes(distinguishingId)));
        signer.BlockUpdate(message);
        return signer.VerifySignature(signature);
    }
}
