using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace SealService.Keys.Crypto;

/// <summary>
/// SM2 with SM3 (BouncyCastle; .NET has no SM2). The distinguishing ID enters the Z value that
/// is hashed before the message; signer and verifier must agree on it.
/// </summary>
public sealed class Sm2SignatureFactory(ECPrivateKeyParameters key, string distinguishingId = Sm2SignatureFactory.DefaultId) : ISignatureFactory
{
    /// <summary>GM/T 0009 default user ID.</summary>
    public const string DefaultId = "1234567812345678";

    public object AlgorithmDetails { get; } = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);

    public IStreamCalculator<IBlockResult> CreateCalculator()
    {
        var signer = new SM2Signer(new SM3Digest());
        signer.Init(true, new ParametersWithID(new ParametersWithRandom(key, new SecureRandom()), Encoding.ASCII.GetBytes(distinguishingId)));
        return new Calculator(signer);
    }

    /// <summary>Checks an SM2 signature (DER r,s) with the given distinguishing ID.</summary>
    public static bool Verify(ECPublicKeyParameters publicKey, ReadOnlySpan<byte> message, byte[] signature, string distinguishingId = DefaultId)
    {
        var signer = new SM2Signer(new SM3Digest());
        signer.Init(false, new ParametersWithID(publicKey, Encoding.ASCII.GetBytes(distinguishingId)));
        signer.BlockUpdate(message);
        return signer.VerifySignature(signature);
    }

    private sealed class Calculator(SM2Signer signer) : IStreamCalculator<IBlockResult>
    {
        public Stream Stream { get; } = new Org.BouncyCastle.Crypto.IO.SignerSink(signer);

        public IBlockResult GetResult() => new BytesResult(signer.GenerateSignature());
    }
}
