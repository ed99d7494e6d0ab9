using System.Globalization;
using System.Text;
using SealService.Api.Stamping;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;
using static SealService.Api.Verification.VerificationPage;

namespace SealService.Api.Verification;

/// <summary>
/// 公示: the public lists the seeds require, without login — a township's delegated matters today (mode, steps,
/// delegating department, period) and a seal's text, holder, status and status history. Same style as /verify.
/// </summary>
public static class PublicEndpoints
{
    public static IEndpointRouteBuilder MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/public").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/townships/{id}", async (string id, TownshipListService lists, IRegistryStore store, CancellationToken ct) =>
        {
            if (!Ids.IsValid(id) || await store.Townships.GetAsync(id, ct) is null)
                return Html(NotFound("没有该镇（街道）"), StatusCodes.Status404NotFound);
            var list = await lists.GetAsync(id, null, ct);
            var departments = (await store.Departments.GetManyAsync(list.Entries.Select(e => e.DepartmentId).ToHashSet(), ct)).ToDictionary(d => d.Id);
            var agreements = new Dictionary<string, DelegationAgreement?>();
            foreach (var agreementId in list.Entries.Select(e => e.AgreementId).Distinct())
                agreements[agreementId] = await store.Agreements.GetAsync(agreementId, ct);

            var b = new StringBuilder();
            b.Append(Invariant($"<h1>{E(list.Township.Name)} 承接事项清单</h1><p>{list.Date:yyyy-MM-dd} 有效的委托，共 {list.Entries.Count} 项。</p>"));
            b.Append("<table><tr><th>事项</th><th>方式</th><th>环节</th><th>委托部门</th><th>期限</th></tr>");
            foreach (var e in list.Entries)
            {
                var period = agreements[e.AgreementId]?.Period;
                b.Append(Invariant($"<tr data-matter=\"{E(e.Matter.Id)}\"><td>{E(e.Matter.Name)}</td><td>{E(DelegationPolicy.ModeName(e.Mode))}</td><td>{E(string.Join("、", e.Steps.Select(s => StepText(Wire.Name(s)))))}</td>"));
                b.Append(Invariant($"<td>{E(departments.GetValueOrDefault(e.DepartmentId)?.Name ?? e.DepartmentId)}</td><td>{E(period?.ToString())}</td></tr>"));
            }

            b.Append("</table><nav><a href=\"/verify\">核验文件</a></nav>");
            return Html(Page(list.Township.Name + " 承接事项清单", b.ToString()));
        });
        group.MapGet("/seals/{id}", async (string id, IRegistryStore store, CancellationToken ct) =>
        {
            if (!Ids.IsValid(id) || await store.Seals.GetAsync(id, ct) is not { } seal)
                return Html(NotFound("没有该印章"), StatusCodes.Status404NotFound);
            var history = await store.Seals.GetHistoryAsync(id, ct);
            var holder = seal.HoldingTownshipId is { } t ? (await store.Townships.GetAsync(t, ct))?.Name : null;
            var body = (await store.Departments.GetAsync(seal.ActingBodyId, ct))?.Name ?? (await store.Townships.GetAsync(seal.ActingBodyId, ct))?.Name;
            var b = new StringBuilder();
            b.Append(Invariant($"<h1>印章公示</h1>{SealPicture(seal.Id, seal.Text)}<table><tr><th>印章文字</th><td>{E(seal.Text)}</td></tr>"));
            b.Append(Invariant($"<tr><th>以谁的名义</th><td>{E(body ?? seal.ActingBodyId)}</td></tr><tr><th>持章单位</th><td>{E(holder ?? body)}</td></tr>"));
            b.Append(Invariant($"<tr><th>状态</th><td data-status=\"{E(Wire.Name(seal.Status))}\">{E(SealStatusText(seal.Status))}</td></tr><tr><th>有效期</th><td>{E(seal.Validity.ToString())}</td></tr></table>"));
            b.Append("<h2>状态变更记录</h2><table><tr><th>时间</th><th>状态</th><th>原因</th></tr>");
            foreach (var v in history)
                b.Append(Invariant($"<tr><td>{ChinaTime.DateOf(v.Change.At):yyyy-MM-dd}</td><td>{E(SealStatusText(v.Status))}</td><td>{E(v.Change.Reason)}</td></tr>"));
            b.Append("</table>");
            if (seal.HoldingTownshipId is { } township)
                b.Append(Invariant($"<nav><a href=\"/public/townships/{E(township)}\">{E(holder)} 承接事项清单</a> · <a href=\"/verify\">核验文件</a></nav>"));
            return Html(Page("印章公示：" + seal.Text, b.ToString()));
        });
        group.MapGet("/seals/{id}/image.png", async (string id, IRegistryStore store, SealImages images, HttpContext http, CancellationToken ct) =>
        {
            if (!Ids.IsValid(id) || await store.Seals.GetAsync(id, ct) is not { } seal)
                return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(images.Png(seal), "image/png");
        });
        return app;
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
