using System.Globalization;
using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Hosting;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Stamping;
using SealService.Storage.Relational;

namespace SealService.Api.Ledger;

/// <summary>
/// Audit packages (a department's or township's seal uses over a period) and per-case archive packages (立卷归档),
/// as signed ZIPs streamed from a temporary file.
/// </summary>
public static class AuditPackageEndpoints
{
    private const int MaxIdLength = 100;

    public static RouteGroupBuilder MapAuditPackageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit-packages", async (HttpContext http, AuditPackageWriter writer, IOptions<SealServiceOptions> options, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var department = Id(q["departmentId"], "departmentId");
            var township = Id(q["townshipId"], "townshipId");
            if ((department is null) == (township is null))
                throw Invalid("departmentId", "give exactly one of departmentId or townshipId");
            var caller = http.DomainCaller();
            if (caller.Role == CallerRole.DepartmentOfficer && (department is null || department != caller.DepartmentId))
                throw Forbidden("部门人员只能导出本部门的稽核包 (officers export their own department only)");
            var scope = new AuditScope(department, township, null, Instant(q["from"], "from"), Instant(q["to"], "to"));
            var name = $"audit-{department ?? township}-{DateTime.UtcNow:yyyyMMddHHmmss}.zip";
            return await StreamAsync(writer, "audit", scope, caller, name, options.Value, ct);
        }).RequireAuthorization(p => p.RequireRole(SealClaims.Auditor, SealClaims.DepartmentOfficer))
          .WithTags("audit").WithSummary("Signed ZIP: seal uses (CSV, JSON), stamped documents, signed tree head and inclusion proofs");

        api.MapGet("/cases/{caseNumber}/archive", async (string caseNumber, HttpContext http, AuditPackageWriter writer,
            IOptions<SealServiceOptions> options, CancellationToken ct) =>
        {
            if (caseNumber.Length is 0 or > MaxIdLength || caseNumber.Any(char.IsControl))
                throw Invalid("caseNumber", $"1..{MaxIdLength} printable characters");
            var caller = http.DomainCaller();
            var name = $"case-{Uri.EscapeDataString(caseNumber)}.zip";
            return await StreamAsync(writer, "case-archive", new AuditScope(CaseNumber: caseNumber), caller, name, options.Value, ct);
        }).RequireAuthorization(p => p.RequireRole(SealClaims.Auditor, SealClaims.RegistryAdmin, SealClaims.DepartmentOfficer))
          .WithTags("audit").WithSummary("立卷归档: the case's documents and seal-use records, signed like an audit package");
        return api;
    }

    private static async Task<IResult> StreamAsync(AuditPackageWriter writer, string kind, AuditScope scope, Caller caller, string name,
        SealServiceOptions options, CancellationToken ct)
    {
        var folder = Path.Combine(DataDirectory.Resolve(options.DataDirectory), "tmp");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"package-{Guid.NewGuid():N}.zip");
        try
        {
            await writer.WriteAsync(kind, scope, use => SealUseAccess.CanRead(caller, use), path, ct);
            // Deleted when the response has been sent (or the client went away).
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            return Results.Stream(stream, "application/zip", name);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static string? Id(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        return text.Length <= MaxIdLength && text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')
            ? text
            : throw Invalid(name, "an id (letters, digits, - _ .; at most 100)");
    }

    private static DateTimeOffset? Instant(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return ChinaTime.StartOf(date);
        throw Invalid(name, "ISO instant or yyyy-MM-dd (CST)");
    }

    private static StampingException Invalid(string field, string message) =>
        new(StampingErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });

    private static StampingException Forbidden(string message) => new(StampingErrorCodes.Forbidden, message);
}
