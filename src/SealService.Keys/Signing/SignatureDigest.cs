using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace SealService.Keys.Signing;

/// <summary>What a signature algorithm actually signs for some data: the one place that knows SM2's Z prefix.</summary>
public static class SignatureDigest
{
    public const int Length = 32;

    public static byte[] Of(IRawSigner signer, ReadOnlySpan<byte> data) => signer.Algorithm == SealKeyAlgorithm.Sm2
        ? Sm2.E((ECPublicKeyParameters)signer.Certificate.GetPublicKey(), signer.Sm2DistinguishingId, data)
        : SHA256.HashData(data);

    /// <summary>Hashes and signs <paramref name="data"/>.</summary>
    public static ValueTask<byte[]> SignDataAsync(this IRawSigner signer, ReadOnlySpan<byte> data, CancellationToken cancellationToken = default) =>
        signer.SignDigestAsync(Of(signer, data), cancellationToken);

    /// <summary>For the synchronous callers (BouncyCastle's ISignatureFactory, the ledger's writer loop): file and PKCS#11
    /// signers complete synchronously, so this blocks only for a remote signer.</summary>
    public static byte[] SignData(this IRawSigner signer, ReadOnlySpan<byte> data)
    {
        var pending = signer.SignDigestAsync(Of(signer, data));
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
