using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.OpenSsl;

namespace SealService.Ledger.Signing;

/// <summary>
/// Tree heads as C2SP tlog-checkpoint signed notes, so that standard checkpoint verifiers and witnesses read them: the body
/// is the origin line, the tree size and the base64 root hash, each ending in a newline; the signature line is
/// "— name base64(key hash ‖ Ed25519 signature)" after a blank line. The key hash is the first four bytes of
/// SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key) (C2SP signed-note). Ed25519 signatures are deterministic, so a checkpoint is
/// recomputed from a stored signed head whenever it is asked for; nothing more is stored.
/// </summary>
public sealed class CheckpointSigner
{
    /// <summary>C2SP signed-note signature type of Ed25519.</summary>
    public const byte Ed25519Type = 0x01;

    private readonly Ed25519PrivateKeyParameters _key;

    public CheckpointSigner(string origin, Ed25519PrivateKeyParameters key)
    {
        // The origin is the note's key name too: no spaces, no '+', no newline (signed-note key names).
        if (string.IsNullOrWhiteSpace(origin) || origin.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c)) || origin.Length > 200)
        {
            throw new ArgumentException("A checkpoint origin is 1..200 characters without spaces, '+' or control characters.", nameof(origin));
        }

        Origin = origin;
        _key = key;
        PublicKey = key.GeneratePublicKey().GetEncoded();
        KeyHash = KeyHashOf(origin, PublicKey);
    }

    /// <summary>The log's name: the checkpoint's first line and the signature's key name.</summary>
    public string Origin { get; }

    public byte[] PublicKey { get; }

    public byte[] KeyHash { get; }

    /// <summary>The verifier key as Go's note package and witnesses take it: name+hex(key hash)+base64(0x01 ‖ public key).</summary>
    public string VerifierKey => $"{Origin}+{Convert.ToHexStringLower(KeyHash)}+{Convert.ToBase64String([Ed25519Type, .. PublicKey])}";

    /// <summary>Reads an Ed25519 private key in PKCS#8 PEM (<c>openssl genpkey -algorithm ed25519</c>).</summary>
    public static CheckpointSigner FromPem(string origin, string path)
    {
        using var reader = new StreamReader(path);
        var key = new PemReader(reader).ReadObject() switch
        {
            Ed25519PrivateKeyParameters k => k,
            Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair { Private: Ed25519PrivateKeyParameters k } => k,
            _ => throw new LedgerException(LedgerErrorCodes.LedgerKeyMismatch, $"{path} holds no Ed25519 private key."),
        };
        return new CheckpointSigner(origin, key);
    }

    public static byte[] KeyHashOf(string name, byte[] publicKey) =>
        SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', Ed25519Type, .. publicKey])[..4];

    /// <summary>The checkpoint body of a tree: origin, size and root, one per line.</summary>
    public static string Body(string origin, long treeSize, ReadOnlySpan<byte> rootHash) =>
        string.Create(CultureInfo.InvariantCulture, $"{origin}\n{treeSize}\n{Convert.ToBase64String(rootHash)}\n");

    /// <summary>The signed note of the head's tree.</summary>
    public string Sign(SignedTreeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var body = Body(Origin, head.TreeSize, head.RootHash);
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        var bytes = Encoding.UTF8.GetBytes(body);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        var signature = signer.GenerateSignature();
        return $"{body}\n\u2014 {Origin} {Convert.ToBase64String([.. KeyHash, .. signature])}\n";
    }
}
