using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using SealService.Keys;
using SealService.Keys.Crypto;
using SealService.Keys.Store;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SealService.Ledger.Signing;

/// <summary>
/// Signs tree heads with the ledger key (certs-dev/ledger.p12 in development): RSA PKCS#1 v1.5 +
/// SHA-256, ECDSA P-256 + SHA-256 (DER) or SM2 + SM3, whichever the key is.
/// </summary>
public sealed class LedgerSigner : IDisposable
{
    private readonly SigningKey _key;

    public LedgerSigner(Pkcs12Content content)
    {
        _key = SigningKey.FromPrivateKey(content.PrivateKey);
        Certificate = content.Certificate;
        Chain = content.Chain;
        KeyId = LedgerKeyId.Of(content.Certificate);
    }

    public X509Certificate Certificate { get; }

    public IReadOnlyList<X509Certificate> Chain { get; }

    /// <summary>Lowercase hex SHA-256 of the certificate's SubjectPublicKeyInfo (DER).</summary>
    public string KeyId { get; }

    public static LedgerSigner FromPkcs12(string path, string passphrase)
    {
        try
        {
            return new LedgerSigner(Pkcs12Files.Load(path, passphrase));
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
        var calculator = _key.SignatureFactory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(data);
        }

        var signature = calculator.GetResult().Collect();
        return new SignedTreeHead(treeSize, rootHash, timestamp, signature, KeyId);
    }

    public TreeHeadVerifier CreateVerifier() => new(Certificate);

    public void Dispose() => _key.Dispose();
}

public static class LedgerKeyId
{
    public static string Of(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.CertificateStructure.SubjectPublicKeyInfo.GetEncoded()));
}
