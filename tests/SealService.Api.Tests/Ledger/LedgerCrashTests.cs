using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Ledger;

/// <summary>
/// Issue 5 item 7: the real service as a child process, 500 concurrent stampings (at most 48 in flight), SIGKILL once 120
/// have been answered 201, restart on the same data folder: every 201 is a seal use with a ledger index whose entry is
/// that use, and the log verifies.
/// </summary>
public sealed class LedgerCrashTests
{
    private const int Requests = 500;
    private const int KillAfter = 120;
    private const string Shatu = "twp-mudan-shatu";

    [Fact]
    public async Task Every_201_is_in_the_log_after_sigkill_mid_burst_and_the_log_verifies()
    {
        var data = Directory.CreateTempSubdirectory("ledger-crash-").FullName;
        var answered = new ConcurrentDictionary<string, string>(); // sealUseId → documentId
        using (var service = await ServiceProcess.StartAsync(data))
        {
            using var client = service.Client(Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: Shatu));
            using var gate = new SemaphoreSlim(48);
            var killed = 0;
            var tasks = Enumerable.Range(0, Requests).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    if (Volatile.Read(ref killed) != 0)
                        return;
                    var response = await client.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", $"CRASH-{i:0000}"));
                    if (response.StatusCode != HttpStatusCode.Created)
                        return;
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    answered[body.Str("sealUseId")] = body.Str("documentId");
                    if (answered.Count >= KillAfter && Interlocked.Exchange(ref killed, 1) == 0)
                        service.Kill(); // SIGKILL: no shutdown, no flush beyond what each COMMIT already made durable
                }
                catch (HttpRequestException)
                {
                    // the service died under this request: it was never answered
                }
                catch (TaskCanceledException)
                {
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(tasks);
            Assert.Equal(1, killed);
        }

        Assert.True(answered.Count >= KillAfter);
        // What a kill mid-write leaves (planted too, so the check does not depend on timing): removed at the restart.
        var documents = Path.Combine(data, "documents");
        var orphanPartial = Path.Combine(documents, "2026", "01", ".doc-orphan.pdf.partial");
        var orphanSpool = Path.Combine(documents, "spool", "orphan.upload");
        Directory.CreateDirectory(Path.GetDirectoryName(orphanPartial)!);
        Directory.CreateDirectory(Path.GetDirectoryName(orphanSpool)!);
        await File.WriteAllTextAsync(orphanPartial, "%PDF-1.7 half written");
        await File.WriteAllTextAsync(orphanSpool, "%PDF-1.7 half uploaded");
        var published = Directory.GetFiles(documents, "*.pdf", SearchOption.AllDirectories).Length;
        using (var service = await ServiceProcess.StartAsync(data))
        {
            Assert.Empty(Directory.GetFiles(documents, "*.partial", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(documents, "*.upload", SearchOption.AllDirectories));
            Assert.Equal(published, Directory.GetFiles(documents, "*.pdf", SearchOption.AllDirectories).Length);

            using var auditor = service.Client(Tokens.For(SealClaims.Auditor, "审计员"));
            var indexes = new HashSet<long>();
            foreach (var (useId, documentId) in answered)
            {
                var record = await (await auditor.GetAsync($"/api/v1/documents/{documentId}/record")).Json();
                Assert.Equal(useId, record.GetProperty("sealUse").Str("id"));
                Assert.True(indexes.Add(record.GetProperty("ledgerIndex").GetInt64()));
            }

            var report = await (await auditor.PostAsync("/api/v1/ledger/verify", null)).Json();
            Assert.True(report.GetProperty("isValid").GetBoolean(), report.GetRawText());
            Assert.True(report.GetProperty("entryCount").GetInt64() >= answered.Count);

            // The entry at each index is that seal use's canonical record.
            using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "registry.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            foreach (var (useId, documentId) in answered)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = "SELECT e.entry FROM seal_uses u JOIN ledger_entries e ON e.idx = u.ledger_index WHERE u.id = $id";
                cmd.Parameters.AddWithValue("$id", useId);
                var entry = JsonNode.Parse((byte[])cmd.ExecuteScalar()!)!;
                Assert.Equal(useId, (string)entry["sealUseId"]!);
                Assert.Equal(documentId, (string)entry["documentId"]!);
            }
        }

        Directory.Delete(data, true);
    }
}
