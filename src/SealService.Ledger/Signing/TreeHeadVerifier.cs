using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using SealService.Keys.Signing;

namespace SealService.Ledger.Signing;

/// <summary>Checks a tree head's key id and signature against the ledger certificate.</summary>
public sealed class TreeHeadVerifier
{
    private readonly X509Certificate _certificate;
    private volatile VerifiedHead? _lastValid;

    public TreeHeadVerifier(X509Certificate certificate)
    {
        _certificate = certificate;
        KeyId = LedgerKeyId.Of(certificate);
    }

    public string KeyId { get; }

    public X509Certificate Certificate => _certificate;

    /// <summary>Reads a PEM or DER certificate (size-limited).</summary>
    public static TreeHeadVerifier FromCertificateBytes(byte[] data)
    {
        if (data.Length > 64 * 1024)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, "Certificate file larger than 64 KiB.");
        }

        X509Certificate? certificate;
        try
        {
            certificate = new X509CertificateParser().ReadCertificate(data);
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException or InvalidCastException)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, "Not a readable certificate (PEM or DER).", ex);
        }

        return new TreeHeadVerifier(certificate ?? throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, "No certificate found."));
    }

    public bool Verify(SignedTreeHead head)
    {
        if (!string.Equals(head.KeyId, KeyId, StringComparison.Ordinal) || head.RootHash.Length != Merkle.MerkleHash.Size || head.TreeSize < 0)
        {
            return false;
        }

        var data = head.SignedBytes;
        // Every verification of a document checks the same latest head: its bytes and signature held once, they hold.
        if (_lastValid is { } last && last.Data.AsSpan().SequenceEqual(data) && last.Signature.AsSpan().SequenceEqual(head.Signature))
        {
            return true;
        }

        var key = _certificate.GetPublicKey();
        try
        {
            bool valid;
            if (key is ECPublicKeyParameters ec && Sm2.IsSm2(ec))
            {
                valid = Sm2.Verify(ec, data, head.Signature);
            }
            else
            {
                var signer = SignerUtilities.GetSigner(key is RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA");
                signer.Init(false, key);
                signer.BlockUpdate(data, 0, data.Length);
                valid = signer.VerifySignature(head.Signature);
            }

            if (valid)
            {
                _lastValid = new VerifiedHead(data, (byte[])head.Signature.Clone());
            }

            return valid;
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Crypto.CryptoException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>Signed bytes and signature of the last head that verified.</summary>
internal sealed record VerifiedHead(byte[] Data, byte[] Signature);
