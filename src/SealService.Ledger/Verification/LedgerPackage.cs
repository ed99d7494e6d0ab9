using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.OpenSsl;
using SealService.Ledger.Canonical;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;

namespace SealService.Ledger.Verification;

/// <summary>
/// Offline export of the log (a ZIP): <c>manifest.json</c>, <c>entries.jsonl</c> (one canonical JSON
/// object per line: index, entry, leafHash, rootAfter; bytes in base64), <c>tree-heads.json</c> (array
/// of signed heads) and <c>ledger-certificate.pem</c> (ledger certificate, then its chain).
/// </summary>
public static class LedgerPackage
{
    public const string Format = "sealservice-ledger-export";
    public const string ManifestFile = "manifest.json";
    public const string EntriesFile = "entries.jsonl";
    public const string TreeHeadsFile = "tree-heads.json";
    public const string CertificateFile = "ledger-certificate.pem";

    /// <summary>Largest line accepted in entries.jsonl (a 64 KiB entry in base64 plus the hashes).</summary>
    public const int MaxLineLength = (LedgerOptions.MaxEntrySize * 4 / 3) + 1024;

    public static (long Entries, int TreeHeads) Export(string databasePath, Org.BouncyCastle.X509.X509Certificate certificate, IEnumerable<Org.BouncyCastle.X509.X509Certificate> chain, string zipPath, DateTimeOffset now)
    {
        using var source = new SqliteLedgerSource(databasePath);
        var temp = zipPath + ".tmp-" + Guid.NewGuid().ToString("N");
        long count = 0;
        IReadOnlyList<SignedTreeHead> heads;
        using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            using (var writer = zip.CreateEntry(EntriesFile, CompressionLevel.Optimal).Open())
            {
                foreach (var row in source.ReadEntries())
                {
                    writer.Write(CanonicalJson.Serialize(new JsonObject
                    {
                        ["entry"] = Convert.ToBase64String(row.Entry),
                        ["index"] = row.Index,
                        ["leafHash"] = Convert.ToBase64String(row.LeafHash),
                        ["rootAfter"] = Convert.ToBase64String(row.RootAfter),
                    }));
                    writer.WriteByte((byte)'\n');
                    count++;
                }
            }

            heads = source.ReadTreeHeads();
            WriteEntry(zip, TreeHeadsFile, CanonicalJson.Serialize(new JsonArray(heads.Select(h => (JsonNode)h.ToJsonObject()).ToArray())));
            var pem = new StringBuilder();
            foreach (var cert in new[] { certificate }.Concat(chain))
            {
                using var sw = new StringWriter();
                var pemWriter = new PemWriter(sw);
                pemWriter.WriteObject(cert);
                pemWriter.Writer.Flush();
                pem.Append(sw);
            }

            WriteEntry(zip, CertificateFile, System.Text.Encoding.ASCII.GetBytes(pem.ToString()));
            WriteEntry(zip, ManifestFile, CanonicalJson.Serialize(new JsonObject
            {
                ["format"] = Format,
                ["version"] = 1,
                ["entryCount"] = count,
                ["treeHeadCount"] = heads.Count,
                ["keyId"] = LedgerKeyId.Of(certificate),
                ["exportedAt"] = CanonicalJson.Timestamp(now),
            }));
        }

        File.Move(temp, zipPath, overwrite: true);
        return (count, heads.Count);
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] data)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(data);
    }
}

/// <summary>Reads an exported package for offline verification (streams the entries; size-limited).</summary>
public sealed class PackageLedgerSource : ILedgerSource, IDisposable
{
    private const long MaxSmallFile = 64L * 1024 * 1024;
    private readonly ZipArchive _zip;

    public PackageLedgerSource(string zipPath)
    {
        try
        {
            _zip = ZipFile.OpenRead(zipPath);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"{zipPath} is not a readable ZIP file.", ex);
        }

        var manifest = JsonNode.Parse(ReadSmall(LedgerPackage.ManifestFile));
        if (manifest?["format"]?.GetValue<string>() != LedgerPackage.Format)
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, "Not a SealService ledger export (manifest format).");
        }
    }

    /// <summary>The certificate shipped in the package (verify it against a pinned key id or your own copy).</summary>
    public byte[] CertificatePem => ReadSmall(LedgerPackage.CertificateFile);

    public IEnumerable<StoredEntry> ReadEntries()
    {
        var entry = Require(LedgerPackage.EntriesFile);
        using var stream = entry.Open();
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length > LedgerPackage.MaxLineLength)
            {
                throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"entries.jsonl line {lineNumber} is too long.");
            }

            yield return ParseLine(line, lineNumber);
        }
    }

    public IReadOnlyList<SignedTreeHead> ReadTreeHeads()
    {
        var array = JsonNode.Parse(ReadSmall(LedgerPackage.TreeHeadsFile)) as JsonArray
            ?? throw new LedgerException(LedgerErrorCodes.PackageInvalid, "tree-heads.json is not an array.");
        return array.Select(SignedTreeHead.FromJson).ToList();
    }

    public void Dispose() => _zip.Dispose();

    private static StoredEntry ParseLine(string line, int lineNumber)
    {
        try
        {
            var o = JsonNode.Parse(line)!.AsObject();
            return new StoredEntry(
                o["index"]!.GetValue<long>(),
                Convert.FromBase64String(o["entry"]!.GetValue<string>()),
                Convert.FromBase64String(o["leafHash"]!.GetValue<string>()),
                Convert.FromBase64String(o["rootAfter"]!.GetValue<string>()));
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"entries.jsonl line {lineNumber} is malformed.", ex);
        }
    }

    private ZipArchiveEntry Require(string name) =>
        _zip.GetEntry(name) ?? throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"The package has no {name}.");

    private byte[] ReadSmall(string name)
    {
        var entry = Require(name);
        if (entry.Length > MaxSmallFile)
        {
            throw new LedgerException(LedgerErrorCodes.PackageInvalid, $"{name} is larger than {MaxSmallFile} bytes.");
        }

        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
