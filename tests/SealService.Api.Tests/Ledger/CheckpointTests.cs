using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Ledger;

/// <summary>
/// The ledger's C2SP tlog-checkpoint, read anonymously and checked by a verifier written here from the specs
/// (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), not with the service's own code.
/// </summary>
public sealed class CheckpointTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task The_checkpoint_verifies_with_the_published_key_and_matches_the_signed_head()
    {
        var clerk = factory.Clerk("twp-mudan-shatu");
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "CKPT-1")))
            .Json(HttpStatusCode.Created);
        await factory.Ledger.IssueTreeHeadAsync();

        using var anonymous = factory.CreateClient();
        var vkey = (await anonymous.GetStringAsync("/public/ledger/checkpoint/key")).TrimEnd('\n');
        var note = await anonymous.GetStringAsync("/public/ledger/checkpoint");
        var checkpoint = C2sp.Verify(note, vkey);

        var head = await factory.Auditor().GetJson("/api/v1/ledger/tree-head");
        Assert.Equal("sealservice.local/seal-use-ledger", checkpoint.Origin);
        Assert.Equal(head.GetProperty("treeSize").GetInt64(), checkpoint.Size);
        Assert.Equal(head.GetProperty("rootHash").GetBytesFromBase64(), checkpoint.Root);
        Assert.True(checkpoint.Size >= 1);

        // A changed size, a changed root, or another key's signature is refused.
        Assert.Throws<InvalidDataException>(() => C2sp.Verify(note.Replace($"\n{checkpoint.Size}\n", $"\n{checkpoint.Size + 1}\n", StringComparison.Ordinal), vkey));
        var otherRoot = Convert.ToBase64String(SHA256.HashData("x"u8));
        Assert.Throws<InvalidDataException>(() => C2sp.Verify(note.Replace(Convert.ToBase64String(checkpoint.Root), otherRoot, StringComparison.Ordinal), vkey));
        var stranger = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        var strangerKey = C2sp.VerifierKey("sealservice.local/seal-use-ledger", stranger.GeneratePublicKey().GetEncoded());
        Assert.Throws<InvalidDataException>(() => C2sp.Verify(note, strangerKey));
    }

    /// <summary>A checkpoint verifier after the C2SP texts.</summary>
    private static class C2sp
    {
        public sealed record Checkpoint(string Origin, long Size, byte[] Root);

        public static string VerifierKey(string name, byte[] publicKey)
        {
            var hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', 0x01, .. publicKey])[..4];
            return $"{name}+{Convert.ToHexStringLower(hash)}+{Convert.ToBase64String([0x01, .. publicKey])}";
        }

        public static Checkpoint Verify(string note, string verifierKey)
        {
            // vkey: <name>+<hex key hash>+<base64(type ‖ public key)>
            var parts = verifierKey.Split('+', 3); // the base64 key may itself contain '+'
            if (parts.Length != 3)
                throw new InvalidDataException("vkey");
            var (name, keyHash, key) = (parts[0], Convert.FromHexString(parts[1]), Convert.FromBase64String(parts[2]));
            if (key.Length != 33 || key[0] != 0x01 || !VerifierKey(name, key[1..]).Equals(verifierKey, StringComparison.Ordinal))
                throw new InvalidDataException("vkey is not an Ed25519 key of that name");

            // signed-note: text (ending in a newline), a blank line, then lines "— <name> <base64(key hash ‖ signature)>".
            var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
            if (split < 0 || !note.EndsWith('\n'))
                throw new InvalidDataException("not a signed note");
            var text = note[..(split + 1)];
            var verified = false;
            foreach (var line in note[(split + 2)..].TrimEnd('\n').Split('\n'))
            {
                if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
                    throw new InvalidDataException("malformed signature line");
                var fields = line[2..].Split(' ');
                var blob = Convert.FromBase64String(fields[1]);
                if (fields[0] != name || !blob.AsSpan(0, 4).SequenceEqual(keyHash))
                    continue; // another signer's line (a witness): not ours to check
                var ed = new Ed25519Signer();
                ed.Init(false, new Ed25519PublicKeyParameters(key, 1));
                var bytes = Encoding.UTF8.GetBytes(text);
                ed.BlockUpdate(bytes, 0, bytes.Length);
                verified = blob.Length == 68 && ed.VerifySignature(blob[4..]);
                if (!verified)
                    throw new InvalidDataException("bad signature");
            }

            if (!verified)
                throw new InvalidDataException("no signature by the verifier key");

            // tlog-checkpoint: origin, decimal size, base64 root hash (32 bytes), optional extension lines.
            var lines = text.TrimEnd('\n').Split('\n');
            if (lines.Length < 3 || !long.TryParse(lines[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
                throw new InvalidDataException("not a checkpoint");
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == 32 ? new Checkpoint(lines[0], size, root) : throw new InvalidDataException("root hash");
        }
    }
}
