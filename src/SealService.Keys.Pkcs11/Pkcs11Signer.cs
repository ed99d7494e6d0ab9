using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using SealService.Keys.Signing;

namespace SealService.Keys.Pkcs11;

/// <summary>
/// A key inside a token. The digest goes in, the signature comes out: RSA through CKM_RSA_PKCS over the
/// SHA-256 DigestInfo, ECDSA through CKM_ECDSA (the token's r ‖ s re-encoded as DER). The object handle is
/// looked up once; handles of token objects hold for every session of this process.
/// </summary>
public sealed class Pkcs11Signer : IRawSigner
{
    // DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1).
    private static readonly byte[] Sha256DigestInfo = Convert.FromHexString("3031300d060960864801650304020105000420");

    private readonly Pkcs11Token _token;
    private readonly IObjectHandle _key;
    private readonly IMechanism _mechanism;

    internal Pkcs11Signer(Pkcs11Token token, IObjectHandle key, SealKeyAlgorithm algorithm, X509Certificate certificate, IReadOnlyList<X509Certificate> chain)
    {
        _token = token;
        _key = key;
        Algorithm = algorithm;
        Certificate = certificate;
        Chain = chain;
        _mechanism = Pkcs11Token.Factories.MechanismFactory.Create(algorithm == SealKeyAlgorithm.Rsa ? CKM.CKM_RSA_PKCS : CKM.CKM_ECDSA);
        MaxSignatureLength = algorithm == SealKeyAlgorithm.Rsa
            ? (((Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters)certificate.GetPublicKey()).Modulus.BitLength + 7) / 8
            : 80;
    }

    public SealKeyAlgorithm Algorithm { get; }

    public X509Certificate Certificate { get; }

    public IReadOnlyList<X509Certificate> Chain { get; }

    public int MaxSignatureLength { get; }

    public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        if (digest.Length != SignatureDigest.Length)
        {
            throw new KeysException(KeyErrorCodes.DigestInvalid, $"A digest to sign is {SignatureDigest.Length} bytes, got {digest.Length}.");
        }

        var input = Algorithm == SealKeyAlgorithm.Rsa ? [.. Sha256DigestInfo, .. digest.Span] : digest.ToArray();
        var raw = await _token.RunAsync(session => session.Sign(_mechanism, _key, input), cancellationToken).ConfigureAwait(false);
        return Algorithm == SealKeyAlgorithm.Rsa ? raw : DerOf(raw);
    }

    /// <summary>PKCS#11 returns ECDSA as r ‖ s, each the size of the order; X.509 and CMS want SEQUENCE { r, s }.</summary>
    private static byte[] DerOf(byte[] raw)
    {
        if (raw.Length is 0 || raw.Length % 2 != 0)
        {
            throw new KeysException(KeyErrorCodes.TokenOperationFailed, $"The token returned an ECDSA signature of {raw.Length} bytes.");
        }

        var half = raw.Length / 2;
        return new DerSequence(new DerInteger(new BigInteger(1, raw, 0, half)), new DerInteger(new BigInteger(1, raw, half, half))).GetEncoded(Asn1Encodable.Der);
    }
}
