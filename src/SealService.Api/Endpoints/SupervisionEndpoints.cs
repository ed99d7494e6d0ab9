using Microsoft.Extensions.Options;
using SealService.Api.Auth;
using SealService.Api.Hosting;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Api.Endpoints;

public static class SupervisionEndpoints
{
    /// <summary>GET /supervision-events?status=&amp;departmentId=: the 审管互动 outbox and its delivery state.</summary>
    public static RouteGroupBuilder MapSupervisionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/supervision-events", async (HttpContext http, ISupervisionOutbox outbox, IOptions<SealServiceOptions> options,
            string? status, string? departmentId, int? page, int? pageSize, CancellationToken ct) =>
        {
            var caller = http.DomainCaller();
            var v = new Validator();
            if (status is not null && !SupervisionStatus.IsKnown(status))
                v.Add("status", "pending, delivered or failed");
            if (departmentId is not null)
                v.Id("departmentId", departmentId);
            var size = pageSize ?? 50;
            var max = Math.Min(options.Value.MaxPageSize, Limits.PageSizeMax);
            if (size < 1 || size > max)
                v.Add("pageSize", $"must be between 1 and {max}");
            if (page is < 1 or > 1_000_000)
                v.Add("page", "must be 1..1000000");
            v.ThrowIfAny();
            switch (caller.Role)
            {
                case CallerRole.RegistryAdmin or CallerRole.Auditor:
                    break;
                case CallerRole.DepartmentOfficer when departmentId is null || departmentId == caller.DepartmentId:
                    departmentId = caller.DepartmentId;
                    break;
                default:
                    throw DomainException.Forbidden("只有监管部门、审计和管理员可以查看推送 (supervising departments, auditors and admins only)");
            }

            var result = await outbox.ListAsync(status, departmentId, new PageRequest(((page ?? 1) - 1) * size, size), ct);
            return Results.Ok(new
            {
                items = result.Items.Select(e => new
                {
                    e.Id,
                    e.DepartmentId,
                    e.DocumentId,
                    e.Status,
                    e.Attempts,
                    e.CreatedAt,
                    e.NextAttemptAt,
                    e.DeliveredAt,
                    e.LastError,
                    payload = System.Text.Json.JsonDocument.Parse(e.PayloadJson).RootElement,
                }),
                total = result.Total,
            });
        }).WithTags("supervision").WithSummary("审管互动 events for supervising departments and their delivery state");
        return api;
    }
}
