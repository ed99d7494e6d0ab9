using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Hosting;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Api.Endpoints;

public static class SealUseEndpoints
{
    private static readonly string[] CsvHeader =
    [
        "id", "at", "outcome", "code", "message", "actorName", "actorRole", "actorDepartmentId", "actorTownshipId", "sealId",
        "sealVersion", "sealDepartmentId", "sealTownshipId", "matterId", "step", "caseNumber", "subjectTownshipId", "agreementId",
        "agreementVersion", "mode", "documentKind", "templateId", "documentId", "documentNumber", "sha256",
    ];

    /// <summary>Documents (PDF and record) and the seal-use register (JSON page or full CSV export).</summary>
    public static RouteGroupBuilder MapSealUseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/documents/{id}", async (string id, HttpContext http, IStampingService stamping, CancellationToken ct) =>
        {
            var doc = await stamping.OpenDocumentAsync(http.DomainCaller(), id, ct);
            http.Response.Headers.ETag = $"\"{doc.Sha256}\"";
            http.Response.Headers["X-Document-Number"] = Uri.EscapeDataString(doc.DocumentNumber);
            return Results.Stream(doc.Content, "application/pdf", $"{doc.DocumentId}.pdf", enableRangeProcessing: true);
        }).WithTags("documents").WithSummary("The stamped PDF (streamed)");

        api.MapGet("/documents/{id}/record", async (string id, HttpContext http, IStampingService stamping, Ledger.DocumentLedgerProof ledger, CancellationToken ct) =>
            Results.Ok(await ledger.AttachAsync(await stamping.GetDocumentRecordAsync(http.DomainCaller(), id, ct), ct)))
            .WithTags("documents").WithSummary("Who stamped the document, when, with which seal and agreement versions; its hash");

        api.MapGet("/seal-uses", async (HttpContext http, IStampingService stamping, IOptions<SealServiceOptions> options, CancellationToken ct) =>
        {
            var (filter, page) = ReadQuery(http.Request.Query, options.Value.MaxPageSize);
            var caller = http.DomainCaller();
            if (!WantsCsv(http.Request))
                return Results.Ok(await stamping.QuerySealUsesAsync(caller, filter, page, ct));

            // CSV is an export: every match (read in pages of the store's maximum), not one page.
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"seal-uses.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 16 * 1024);
            await writer.WriteLineAsync(string.Join(',', CsvHeader));
            var offset = 0;
            while (true)
            {
                var chunk = await stamping.QuerySealUsesAsync(caller, filter, new PageRequest(offset, Limits.PageSizeMax), ct);
                foreach (var use in chunk.Items)
                    await writer.WriteLineAsync(Row(use));
                offset += chunk.Items.Count;
                if (chunk.Items.Count == 0 || offset >= chunk.Total)
                    break;
            }

            return Results.Empty;
        }).WithTags("seal-uses").WithSummary("用章登记: stamps and refused attempts; JSON {items,total} or CSV (Accept: text/csv)");
        return api;
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase))
        || string.Equals(request.Query["format"], "csv", StringComparison.OrdinalIgnoreCase);

    private static (SealUseFilter Filter, PageRequest Page) ReadQuery(IQueryCollection q, int maxPageSize)
    {
        var v = new Validator();
        string? Id(string name)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
                return null;
            v.Id(name, text);
            return text;
        }

        DateTimeOffset? Instant(string name)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
                return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Length <= 40)
                return at;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return ChinaTime.StartOf(date);
            v.Add(name, "ISO instant or yyyy-MM-dd (CST)");
            return null;
        }

        var outcome = q["outcome"].ToString();
        if (outcome.Length > 0 && outcome is not (SealUseOutcomes.Stamped or SealUseOutcomes.Refused))
            v.Add("outcome", "stamped or refused");
        var filter = new SealUseFilter(Id("departmentId"), Id("townshipId"), Id("sealId"), Id("matterId"),
            outcome.Length > 0 ? outcome : null, Instant("from"), Instant("to"));
        var size = Int("pageSize") ?? Int("limit") ?? ListQuery.DefaultPageSize;
        var max = Math.Min(maxPageSize, Limits.PageSizeMax);
        if (size < 1 || size > max)
            v.Add("pageSize", $"must be between 1 and {max}");
        var offset = Int("offset") ?? ((long)(Int("page") ?? 1) - 1) * size;
        if (offset is < 0 or > int.MaxValue)
            v.Add("page", "out of range");
        v.ThrowIfAny();
        var page = new PageRequest((int)offset, size);
        return (filter, page);

        int? Int(string name)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
                return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return n;
            v.Add(name, "must be a whole number");
            return null;
        }
    }

    private static string Row(SealUseRecord u) => string.Join(',', new[]
    {
        u.Id, u.At.ToString("O", CultureInfo.InvariantCulture), u.Outcome, u.Code, u.Message, u.ActorName, Wire.Name(u.ActorRole),
        u.ActorDepartmentId, u.ActorTownshipId, u.SealId, u.SealVersion?.ToString(CultureInfo.InvariantCulture), u.SealDepartmentId,
        u.SealTownshipId, u.MatterId, Wire.Name(u.Step), u.CaseNumber, u.SubjectTownshipId, u.AgreementId,
        u.AgreementVersion?.ToString(CultureInfo.InvariantCulture), u.Mode is { } m ? Wire.Name(m) : null,
        u.DocumentKind is { } k ? Wire.Name(k) : null, u.TemplateId, u.DocumentId, u.DocumentNumber, u.Sha256,
    }.Select(Cell));

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets never run it as a formula.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return string.Empty;
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
