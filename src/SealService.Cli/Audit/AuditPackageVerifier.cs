using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.X509;
using SealService.Keys;
using SealService.Keys.Verification;
using SealService.Ledger;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;

namespace SealService.Cli.Audit;

/// <summary>One problem found in a package: a stable code and what it is about (file name, ledger index).</summary>
public sealed record PackageFinding(string Code, string Message);

/// <summary>
/// Checks an audit package or case archive offline (docs/ledger.md, "Audit packages"): manifest.sig over manifest.json
/// (detached CMS, chained to the given roots, signer = the pinned ledger certificate when one is given), every listed
/// file's SHA-256 and size, no unlisted file, the signed tree head, and for each seal use its entry and inclusion proof.
/// Every check runs; the first finding is the one to report. The ZIP is read in place (nothing is extracted).
/// </summary>
public sealed class AuditPackageVerifier(IReadOnlyList<X509Certificate> trustedRoots, X509Certificate? pinnedLedgerCertificate)
{
    public const string Format = "sealservice-audit-package";

    /// <summary>Largest manifest / seal-use register read into memory.</summary>
    public const long MaxManifestBytes = 64L * 1024 * 1024;
    public const long MaxRegisterBytes = 256L * 1024 * 1024;

    /// <summary>Largest proof, entry or tree head read into memory.</summary>
    public const long MaxSmallFileBytes = 1024 * 1024;

    public const int MaxEntries = 1_000_000;

    public IReadOnlyList<PackageFinding> Verify(string zipPath)
    {
        var findings = new List<PackageFinding>();
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return [new("PACKAGE_INVALID", $"Not a readable ZIP: {ex.Message}")];
        }

        using (zip)
        {
            if (zip.Entries.Count > MaxEntries)
                return [new("PACKAGE_INVALID", $"More than {MaxEntries} entries.")];
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var e in zip.Entries)
            {
                if (!entries.TryAdd(e.FullName, e))
                    findings.Add(new("PACKAGE_INVALID", $"The entry '{e.FullName}' appears twice."));
            }

            try
            {
                Check(entries, findings);
            }
            catch (Exception ex) when (ex is LedgerException or InvalidDataException)
            {
                findings.Add(new("PACKAGE_INVALID", ex.Message)); // an oversized or undecodable entry
            }
        }

        return findings;
    }

    private void Check(Dictionary<string, ZipArchiveEntry> entries, List<PackageFinding> findings)
    {
        if (!entries.TryGetValue("manifest.json", out var manifestEntry))
        {
            findings.Add(new("MANIFEST_MISSING", "manifest.json is not in the package."));
            return;
        }

        if (!entries.TryGetValue("manifest.sig", out var sigEntry))
        {
            findings.Add(new("MANIFEST_SIGNATURE_MISSING", "manifest.sig is not in the package."));
            return;
        }

        var manifestBytes = Read(manifestEntry, MaxManifestBytes);
        var signer = CheckSignature(manifestBytes, Read(sigEntry, CmsSignatureVerifier.MaxCmsSize), findings);

        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(manifestBytes)!.AsObject();
            if ((string?)manifest["format"] != Format || (int?)manifest["version"] != 1)
                throw new FormatException($"format must be '{Format}', version 1");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            findings.Add(new("MANIFEST_INVALID", $"manifest.json is not a version 1 audit-package manifest: {ex.Message}"));
            return;
        }

        var listed = CheckFiles(manifest, entries, findings);
        if (listed is null)
            return;
        var head = CheckTreeHead(manifest, entries, signer, findings);
        CheckUses(manifest, entries, listed, head, findings);
    }

    /// <summary>The CMS over the manifest; returns the signer certificate when the signature holds.</summary>
    private X509Certificate? CheckSignature(byte[] manifest, byte[] cms, List<PackageFinding> findings)
    {
        CmsVerificationResult result;
        try
        {
            using var hasher = CmsSignatureVerifier.CreateHasher(cms);
            hasher.Append(manifest);
            result = new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = trustedRoots }).Verify(cms, hasher);
        }
        catch (KeysException ex)
        {
            findings.Add(new("MANIFEST_SIGNATURE_INVALID", $"manifest.sig: {ex.Code}: {ex.Message}"));
            return null;
        }

        if (!result.IsValid)
        {
            var first = result.Errors[0];
            findings.Add(new("MANIFEST_SIGNATURE_INVALID", $"manifest.sig does not verify over manifest.json: {first.Code}: {first.Message}"));
            return null;
        }

        if (pinnedLedgerCertificate is not null && !pinnedLedgerCertificate.Equals(result.SigningCertificate))
        {
            findings.Add(new("SIGNER_NOT_PINNED", $"manifest.sig is signed by '{result.SignerSubject}', not by the pinned ledger certificate."));
            return null;
        }

        return result.SigningCertificate;
    }

    /// <summary>Each listed file's hash and size; no file outside the list. Returns name → sha256 (hex).</summary>
    private static Dictionary<string, string>? CheckFiles(JsonObject manifest, Dictionary<string, ZipArchiveEntry> entries, List<PackageFinding> findings)
    {
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var file in manifest["files"]!.AsArray())
            {
                var name = (string)file!["name"]!;
                var sha256 = (string)file["sha256"]!;
                var size = (long)file["size"]!;
                if (!listed.TryAdd(name, sha256) || name is "manifest.json" or "manifest.sig")
                {
                    findings.Add(new("MANIFEST_INVALID", $"manifest.json lists '{name}' twice or lists itself."));
                    continue;
                }

                if (!entries.TryGetValue(name, out var entry))
                {
                    findings.Add(new("FILE_MISSING", $"{name} is listed in manifest.json but not in the package."));
                    continue;
                }

                var (actual, length) = Hash(entry);
                if (length != size || !string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                    findings.Add(new("FILE_HASH_MISMATCH", $"{name}: SHA-256 {actual} ({length} bytes), manifest.json says {sha256} ({size} bytes)."));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or FormatException)
        {
            findings.Add(new("MANIFEST_INVALID", $"manifest.json 'files' is not a list of {{name, sha256, size}}: {ex.Message}"));
            return null;
        }

        foreach (var name in entries.Keys.Where(n => n is not "manifest.json" and not "manifest.sig" && !listed.ContainsKey(n)).Order(StringComparer.Ordinal))
            findings.Add(new("FILE_UNLISTED", $"{name} is in the package but not listed in manifest.json."));
        return listed;
    }

    /// <summary>ledger/tree-head.json: the manifest's head, signed by the ledger key (the CMS signer, else the pinned or enclosed certificate).</summary>
    private SignedTreeHead? CheckTreeHead(JsonObject manifest, Dictionary<string, ZipArchiveEntry> entries, X509Certificate? signer, List<PackageFinding> findings)
    {
        try
        {
            if (!entries.TryGetValue("ledger/tree-head.json", out var entry))
            {
                findings.Add(new("FILE_MISSING", "ledger/tree-head.json is not in the package."));
                return null;
            }

            var head = SignedTreeHead.FromJson(JsonNode.Parse(Read(entry, MaxSmallFileBytes)));
            if (!head.ToCanonicalJson().AsSpan().SequenceEqual(SignedTreeHead.FromJson(manifest["treeHead"]).ToCanonicalJson()))
                findings.Add(new("TREE_HEAD_MISMATCH", "ledger/tree-head.json is not the head named in manifest.json."));

            var certificate = signer ?? pinnedLedgerCertificate
                ?? (entries.TryGetValue("ledger/ledger-certificate.pem", out var pem)
                    ? TreeHeadVerifier.FromCertificateBytes(Read(pem, 64 * 1024)).Certificate
                    : null);
            if (certificate is null)
            {
                findings.Add(new("FILE_MISSING", "ledger/ledger-certificate.pem is not in the package."));
                return head;
            }

            var verifier = new TreeHeadVerifier(certificate);
            if ((string?)manifest["keyId"] != verifier.KeyId)
                findings.Add(new("KEY_ID_MISMATCH", $"manifest.json keyId {(string?)manifest["keyId"]} is not the ledger key {verifier.KeyId}."));
            if (!verifier.Verify(head))
                findings.Add(new("TREE_HEAD_SIGNATURE_INVALID", $"The signature of the tree head (size {head.TreeSize}) does not verify with ledger key {verifier.KeyId}."));
            return head;
        }
        catch (Exception ex) when (ex is LedgerException or JsonException)
        {
            findings.Add(new("TREE_HEAD_INVALID", $"ledger/tree-head.json: {ex.Message}"));
            return null;
        }
    }

    /// <summary>Each seal use: its document's hash, its canonical entry (the same use) and the entry's inclusion proof.</summary>
    private static void CheckUses(
        JsonObject manifest, Dictionary<string, ZipArchiveEntry> entries, Dictionary<string, string> listed, SignedTreeHead? head, List<PackageFinding> findings)
    {
        if (!entries.TryGetValue("seal-uses.json", out var register))
        {
            findings.Add(new("FILE_MISSING", "seal-uses.json is not in the package."));
            return;
        }

        JsonArray uses;
        HashSet<long> pending;
        try
        {
            uses = JsonNode.Parse(Read(register, MaxRegisterBytes))!.AsArray();
            pending = manifest["pendingLedgerIndexes"]?.AsArray().Select(n => (long)n!).ToHashSet() ?? [];
            if ((int?)manifest["sealUseCount"] != uses.Count)
                findings.Add(new("MANIFEST_INVALID", $"manifest.json sealUseCount is {(int?)manifest["sealUseCount"]}, seal-uses.json holds {uses.Count}."));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            findings.Add(new("REGISTER_INVALID", $"seal-uses.json is not an array of seal-use records: {ex.Message}"));
            return;
        }

        foreach (var use in uses)
        {
            try
            {
                CheckUse(use!.AsObject(), entries, listed, pending, head, findings);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException or LedgerException)
            {
                findings.Add(new("REGISTER_INVALID", $"seal use {(string?)use?["id"]}: {ex.Message}"));
            }
        }
    }

    private static void CheckUse(
        JsonObject use, Dictionary<string, ZipArchiveEntry> entries, Dictionary<string, string> listed, HashSet<long> pending, SignedTreeHead? head,
        List<PackageFinding> findings)
    {
        var id = (string)use["id"]!;
        var documentId = (string?)use["documentId"];
        var sha256 = (string?)use["sha256"];
        if (documentId is not null
            && (!listed.TryGetValue($"documents/{documentId}.pdf", out var documentHash) || !string.Equals(documentHash, sha256, StringComparison.OrdinalIgnoreCase)))
            findings.Add(new("DOCUMENT_MISMATCH", $"seal use {id}: documents/{documentId}.pdf is missing or its SHA-256 is not the record's {sha256}."));

        if (use["ledgerIndex"] is not { } indexNode || pending.Contains((long)indexNode))
            return; // no ledger, or after the package's head (listed as pending)
        var index = (long)indexNode;
        var proofName = $"ledger/proofs/{index}.json";
        var entryName = $"ledger/entries/{index}.json";
        if (!entries.TryGetValue(proofName, out var proofEntry) || !entries.TryGetValue(entryName, out var entryEntry))
        {
            findings.Add(new("PROOF_MISSING", $"ledger index {index} (seal use {id}): {proofName} or {entryName} is not in the package."));
            return;
        }

        // The entry must be this use's canonical record.
        var entry = Read(entryEntry, MaxSmallFileBytes);
        JsonObject canonical;
        try
        {
            canonical = JsonNode.Parse(entry)!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            findings.Add(new("ENTRY_MISMATCH", $"ledger index {index}: {entryName} is not a canonical seal-use entry: {ex.Message}"));
            return;
        }

        if ((string?)canonical["sealUseId"] != id || (string?)canonical["documentId"] != documentId
            || !string.Equals((string?)canonical["documentSha256"], sha256, StringComparison.OrdinalIgnoreCase))
            findings.Add(new("ENTRY_MISMATCH", $"ledger index {index}: {entryName} is not the entry of seal use {id}."));

        InclusionProof? proof;
        try
        {
            proof = JsonSerializer.Deserialize<InclusionProof>(Read(proofEntry, MaxSmallFileBytes));
        }
        catch (JsonException ex)
        {
            findings.Add(new("PROOF_INVALID", $"ledger index {index}: {proofName} is not an inclusion proof: {ex.Message}"));
            return;
        }

        var leaf = LeafHash(entry);
        if (proof is null || head is null || proof.Index != index || proof.TreeSize != head.TreeSize
            || !proof.TreeHead.RootHash.AsSpan().SequenceEqual(head.RootHash) || !proof.LeafHash.AsSpan().SequenceEqual(leaf)
            || !MerkleProofVerifier.VerifyInclusion(index, head.TreeSize, leaf, proof.AuditPath, head.RootHash))
            findings.Add(new("PROOF_INVALID", $"ledger index {index}: {proofName} does not prove {entryName} in the signed tree head."));
    }

    /// <summary>RFC 9162 leaf hash: SHA-256(0x00 ‖ entry).</summary>
    private static byte[] LeafHash(byte[] entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0]);
        sha.AppendData(entry);
        return sha.GetHashAndReset();
    }

    private static (string Sha256, long Length) Hash(ZipArchiveEntry entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = entry.Open();
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(sha.GetHashAndReset()), length);
    }

    /// <summary>Reads a small entry, refusing one larger than <paramref name="limit"/> (by its real length, not the header's).</summary>
    private static byte[] Read(ZipArchiveEntry entry, long limit)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"{entry.FullName} is larger than {limit} bytes.");
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
