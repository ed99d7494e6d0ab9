using System.Security.Cryptography;
using SealService.Keys;
using SealService.Keys.Signing;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SealService.Ledger.Signing;

/// <summary>
/// Signs tree heads with the ledger key (certs-dev/ledger.p12 in development, or a token's key): RSA PKCS#1 v1.5 +
/// SHA-256, ECDSA P-256 + SHA-256 (DER) or SM2 + SM3, whichever the key is.
/// </summary>
public sealed class LedgerSigner : IDisposable
{
    private readonly IRawSigner _key;
    private readonly bool _ownsKey;

    /// <param name="key">The ledger key; the same signer also signs audit manifests.</param>
    /// <param name="ownsKey">Dispose <paramref name="key"/> with this signer.</param>
    public LedgerSigner(IRawSigner key, bool ownsKey = false)
    {
        _key = key;
        _ownsKey = ownsKey;
        KeyId = LedgerKeyId.Of(key.Certificate);
    }

    /// <summary>The key itself, for the other signatures made with it (audit manifests).</summary>
    public IRawSigner Key => _key;

    public X509Certificate Certificate => _key.Certificate;

    public IReadOnlyList<X509Certificate> Chain => _key.Chain;

    /// <summary>Lowercase hex SHA-256 of the certificate's SubjectPublicKeyInfo (DER).</summary>
    public string KeyId { get; }

    public static LedgerSigner FromPkcs12(string path, string passphrase)
    {
        try
        {
            return new LedgerSigner(SoftwareSigner.FromPkcs12(path, passphrase), ownsKey: true);
        }
        catch (KeysException ex)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, $"Ledger key {path}: {ex.Message}", ex);
        }
    }

    public SignedTreeHead Sign(long treeSize, byte[] rootHash, DateTimeOffset at)
    {
        var timestamp = Canonical.CanonicalJson.Timestamp(at);
        var data = SignedTreeHead.SignedBytesOf(treeSize, rootHash, timestamp, KeyId);
        var signature = _key.SignData(data);
        return new SignedTreeHead(treeSize, rootHash, timestamp, signature, KeyId);
    }

    public TreeHeadVerifier CreateVerifier() => new(Certificate);

    public void Dispose()
    {
        if (_ownsKey && _key is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}

public static class LedgerKeyId
{
    public static string Of(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.CertificateStructure.SubjectPublicKeyInfo.GetEncoded()));
}
