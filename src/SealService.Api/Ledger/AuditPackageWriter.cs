using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Ledger;
using SealService.Ledger.Canonical;
using SealService.Storage.Relational;
using DomainRecord = SealService.Domain.Stamping.SealUseRecord;

namespace SealService.Api.Ledger;

/// <summary>
/// Writes an audit (or case archive) package to a temporary file, entry by entry (documents are copied as streams,
/// the CSV and JSON registers are spooled to files first), so memory stays flat whatever the period covers.
/// Layout and how to check the signature: docs/ledger.md, "Audit packages".
/// </summary>
public sealed class AuditPackageWriter(
    RelationalAuditQueries queries, SealLedger ledger, IDocumentFactory documents, IOptions<JsonOptions> json,
    TimeProvider time)
{
    public const string Format = "sealservice-audit-package";

    private static readonly string[] CsvHeader =
    [
        "ledgerIndex", "id", "at", "outcome", "code", "actorName", "actorRole", "actorDepartmentId", "actorTownshipId", "sealId",
        "sealVersion", "sealDepartmentId", "sealTownshipId", "matterId", "step", "caseNumber", "subjectTownshipId", "agreementId",
        "agreementVersion", "documentId", "documentNumber", "sha256",
    ];

    // The ledger's own key (file or token), opened once with the ledger: manifests and tree heads share one signer.
    private readonly CadesSignatureCreator _signer = new(ledger.Signer.Key, null);

    /// <summary>
    /// Builds the package into <paramref name="zipPath"/>; <paramref name="include"/> filters what the caller may see.
    /// Returns the number of seal uses in it.
    /// </summary>
    public async Task<int> WriteAsync(string kind, AuditScope scope, Func<DomainRecord, bool> include, string zipPath, CancellationToken ct)
    {
        var head = await ledger.IssueTreeHeadAsync(ct); // a head over everything committed now, so every use gets a proof
        var spool = zipPath + ".parts";
        Directory.CreateDirectory(spool);
        try
        {
            await using var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            var files = new JsonArray();
            var count = 0;
            var pending = new JsonArray();
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                var csvPath = Path.Combine(spool, "seal-uses.csv");
                var jsonPath = Path.Combine(spool, "seal-uses.json");
                await using (var csv = new StreamWriter(csvPath, false, new UTF8Encoding(false)))
                await using (var jsonFile = File.Create(jsonPath))
                await using (var register = new Utf8JsonWriter(jsonFile, new JsonWriterOptions { Indented = false }))
                {
                    await csv.WriteLineAsync(string.Join(',', CsvHeader));
                    register.WriteStartArray();
                    await foreach (var (use, storagePath) in queries.ReadAsync(scope, ct))
                    {
                        if (!include(use))
                            continue;
                        count++;
                        await csv.WriteLineAsync(Row(use));
                        JsonSerializer.Serialize(register, use, json.Value.SerializerOptions);
                        if (storagePath is not null && use.DocumentId is { } documentId)
                        {
                            await using var pdf = documents.OpenStored(storagePath);
                            await AddAsync(zip, files, $"documents/{documentId}.pdf", pdf, ct);
                        }

                        if (use.LedgerIndex is { } index)
                        {
                            if (index < head.TreeSize)
                            {
                                var proof = await ledger.GetInclusionProofAsync(index, head.TreeSize, ct);
                                await AddAsync(zip, files, $"ledger/proofs/{index}.json", JsonSerializer.SerializeToUtf8Bytes(proof), ct);
                                // The exact leaf bytes, so the proof can be checked offline without re-deriving the entry.
                                await AddAsync(zip, files, $"ledger/entries/{index}.json", await ledger.GetEntryAsync(index, ct), ct);
                            }
                            else
                            {
                                pending.Add(index);
                            }
                        }
                    }

                    register.WriteEndArray();
                }

                await AddFileAsync(zip, files, "seal-uses.csv", csvPath, ct);
                await AddFileAsync(zip, files, "seal-uses.json", jsonPath, ct);
                await AddAsync(zip, files, "ledger/tree-head.json", head.ToCanonicalJson(), ct);
                await AddAsync(zip, files, "ledger/ledger-certificate.pem", Encoding.ASCII.GetBytes(DevPki.ToPem(ledger.Signer.Certificate)), ct);

                var manifest = CanonicalJson.Serialize(new JsonObject
                {
                    ["format"] = Format,
                    ["version"] = 1,
                    ["kind"] = kind,
                    ["createdAt"] = CanonicalJson.Timestamp(time.GetUtcNow()),
                    ["scope"] = Scope(scope),
                    ["sealUseCount"] = count,
                    ["treeHead"] = head.ToJsonObject(),
                    ["pendingLedgerIndexes"] = pending,
                    ["keyId"] = ledger.Signer.KeyId,
                    ["files"] = files,
                });
                await AddAsync(zip, null, "manifest.json", manifest, ct);
                await AddAsync(zip, null, "manifest.sig", await SignAsync(manifest, ct), ct);
            }

            await file.FlushAsync(ct);
            return count;
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    /// <summary>Detached CMS (CAdES-B) over manifest.json with the ledger key.</summary>
    private async Task<byte[]> SignAsync(byte[] manifest, CancellationToken ct)
    {
        using var hasher = _signer.CreateHasher();
        hasher.Append(manifest);
        return await _signer.CreateAsync(hasher.Finish(), PadesLevel.BaselineB, cancellationToken: ct);
    }

    private static JsonObject Scope(AuditScope scope)
    {
        var o = new JsonObject();
        if (scope.DepartmentId is { } d)
            o["departmentId"] = d;
        if (scope.TownshipId is { } t)
            o["townshipId"] = t;
        if (scope.CaseNumber is { } c)
            o["caseNumber"] = c;
        if (scope.From is { } f)
            o["from"] = CanonicalJson.Timestamp(f);
        if (scope.To is { } to)
            o["to"] = CanonicalJson.Timestamp(to);
        return o;
    }

    private static async Task AddFileAsync(ZipArchive zip, JsonArray files, string name, string path, CancellationToken ct)
    {
        await using var source = File.OpenRead(path);
        await AddAsync(zip, files, name, source, ct);
    }

    private static Task AddAsync(ZipArchive zip, JsonArray? files, string name, byte[] content, CancellationToken ct) =>
        AddAsync(zip, files, name, new MemoryStream(content, writable: false), ct);

    /// <summary>Copies one entry, hashing it on the way; lists it in the manifest unless <paramref name="files"/> is null.</summary>
    private static async Task AddAsync(ZipArchive zip, JsonArray? files, string name, Stream content, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using (var target = entry.Open())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                size += read;
            }
        }

        files?.Add(new JsonObject { ["name"] = name, ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()), ["size"] = size });
    }

    private static string Row(DomainRecord u) => string.Join(',', new[]
    {
        u.LedgerIndex?.ToString(CultureInfo.InvariantCulture), u.Id, u.At.ToString("O", CultureInfo.InvariantCulture), u.Outcome, u.Code,
        u.ActorName, Wire.Name(u.ActorRole), u.ActorDepartmentId, u.ActorTownshipId, u.SealId,
        u.SealVersion?.ToString(CultureInfo.InvariantCulture), u.SealDepartmentId, u.SealTownshipId, u.MatterId, Wire.Name(u.Step),
        u.CaseNumber, u.SubjectTownshipId, u.AgreementId, u.AgreementVersion?.ToString(CultureInfo.InvariantCulture), u.DocumentId,
        u.DocumentNumber, u.Sha256,
    }.Select(Cell));

    /// <summary>RFC 4180 quoting; a leading = + - @ gets a ' so spreadsheets never run it as a formula.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return string.Empty;
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
