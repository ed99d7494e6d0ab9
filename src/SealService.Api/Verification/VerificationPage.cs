using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

using SealService.Pdf.Verification.Reports;

namespace SealService.Api.Verification;

/// <summary>The public verification pages: plain HTML and CSS, no script, in Chinese, with a print stylesheet.</summary>
internal static class VerificationPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style = """
        body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#222;line-height:1.55}
        h1{font-size:1.4rem;margin:.2rem 0 1rem}
        .verdict{font-size:1.6rem;font-weight:bold;padding:.8rem 1rem;border-radius:.4rem;margin:1rem 0}
        .valid{background:#e6f4ea;color:#135c2a}.valid-with-warnings{background:#fff6db;color:#6b4e00}
        .altered,.invalid{background:#fde7e7;color:#8a1111}.unknown{background:#eee;color:#333}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f5f5f5;width:11rem;font-weight:normal}
        li.pass::marker{content:"✓ "}li.warn::marker{content:"! "}li.fail::marker{content:"✗ "}
        li.fail{color:#8a1111}li.warn{color:#6b4e00}
        .code{color:#777;font-size:.8rem}
        a.seal{float:right;margin:0 0 .5rem 1rem}a.seal img{display:block}
        form{margin:1rem 0;padding:1rem;border:1px dashed #aaa}
        footer{color:#777;font-size:.8rem;margin-top:2rem}
        @media print{form,nav,.noprint{display:none}body{margin:0;max-width:none;font-size:11pt}.verdict{border:2px solid #000;background:none;color:#000}}
        """;

    public static string Form(string? error = null) => Page("文件核验", $"""
        <h1>电子印章文件核验</h1>
        <p>上传您持有的 PDF 文件，核验其电子签章、文件完整性、印章状态和签章时的授权。</p>
        {(error is null ? "" : $"<p class=\"verdict invalid\">{E(error)}</p>")}
        {UploadForm(null)}
        """);

    /// <summary>The seal's image as stamped, linked to its public page.</summary>
    public static string SealPicture(string sealId, string sealText) =>
        $"<a class=\"seal\" href=\"/public/seals/{E(sealId)}\"><img src=\"/public/seals/{E(sealId)}/image.png\" alt=\"印章图样：{E(sealText)}\" width=\"140\" height=\"140\"></a>";

    public static string Report(VerificationReport report, string? documentId)
    {
        var b = new StringBuilder();
        b.Append("<h1>电子印章文件核验报告</h1>");
        b.Append(CultureInfo($"<p class=\"verdict {E(report.Verdict)}\" data-verdict=\"{E(report.Verdict)}\">{E(VerdictText(report.Verdict))}</p>"));
        if (report.Document is { } d)
        {
            b.Append(SealPicture(d.SealId, d.SealText ?? d.SealId));
            b.Append("<table>");
            Row(b, "文号", d.DocumentNumber);
            Row(b, "印章", d.SealText ?? d.SealId);
            Row(b, "印章状态", StatusText(d.SealStatus));
            Row(b, "部门", d.DepartmentName);
            Row(b, "镇（街道）", d.TownshipName);
            Row(b, "事项", d.MatterName ?? d.MatterId);
            Row(b, "环节", StepText(d.Step));
            Row(b, "文书种类", KindText(d.DocumentKind));
            Row(b, "签发时间", d.IssuedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            Row(b, "委托协议", d.AgreementId);
            Row(b, "防篡改日志", d.LedgerIndex is { } i ? $"第 {i} 条（{(d.LedgerStatus == "included" ? "已纳入签名树头" : "待纳入")}）" : "无");
            b.Append("</table>");
        }

        b.Append("<h2>核验项目</h2><ul>");
        foreach (var c in report.Checks)
            Item(b, c);
        foreach (var s in report.Signatures)
        {
            b.Append(CultureInfo($"<li class=\"{(s.Intact && s.Modifications.Count == 0 ? "pass" : "fail")}\">签名 {E(s.Field)}：{E(s.Signer ?? "未知签名人")}，覆盖范围 {E(CoverageText(s.Coverage))}{(s.SigningTime is { } t ? "，签章时间 " + E(t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)) : "")}<ul>"));
            foreach (var c in s.Checks)
                Item(b, c);
            b.Append("</ul></li>");
        }

        b.Append("</ul>");
        b.Append(CultureInfo($"<p class=\"code\">SHA-256 {E(report.Sha256)} · {report.SizeBytes} 字节</p>"));
        b.Append("<div class=\"noprint\"><h2>比对您持有的文件</h2>");
        b.Append(UploadForm(documentId ?? report.Document?.DocumentId));
        b.Append("<nav><a href=\"/verify\">核验其他文件</a>");
        if (report.Document?.SealId is { } seal)
            b.Append(CultureInfo($" · <a href=\"/public/seals/{E(seal)}\">印章公示</a>"));
        b.Append("</nav></div>");
        return Page("核验结果：" + VerdictText(report.Verdict), b.ToString());
    }

    public static string NotFound(string what) => Page("未找到", $"<h1>未找到</h1><p class=\"verdict unknown\">{E(what)}</p><nav><a href=\"/verify\">核验文件</a></nav>");

    public static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)}</title><style>{Style}</style></head>
        <body>{body}<footer>SealService 电子印章核验 · 本页可打印存档</footer></body></html>
        """;

    public static string E(string? text) => Encoder.Encode(text ?? string.Empty);

    /// <summary>A page as the answer, UTF-8.</summary>
    public static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    public static string SealStatusText(Domain.Model.SealStatus status) => status switch
    {
        Domain.Model.SealStatus.Active => "有效",
        Domain.Model.SealStatus.Suspended => "暂停使用",
        Domain.Model.SealStatus.Revoked => "已撤销",
        _ => "已停用",
    };

    public static string VerdictText(string verdict) => verdict switch
    {
        Verdicts.Valid => "有效：签章真实，文件自签章后未被改动",
        Verdicts.ValidWithWarnings => "有效（有提示）：签章真实，请留意下列提示",
        Verdicts.Altered => "已被改动：文件在签章后被修改，不能作为签发的原件",
        Verdicts.Invalid => "无效：签章不能证明本文件",
        _ => "无法判断：文件无法完整核验",
    };

    private static string UploadForm(string? documentId) => $"""
        <form method="post" action="/verify" enctype="multipart/form-data">
        <label>PDF 文件 <input type="file" name="file" accept="application/pdf" required></label>
        {(documentId is null ? "" : $"<input type=\"hidden\" name=\"documentId\" value=\"{E(documentId)}\">")}
        <button type="submit">核验</button></form>
        """;

    private static void Row(StringBuilder b, string name, string? value) =>
        b.Append(CultureInfo($"<tr><th>{E(name)}</th><td>{E(value ?? "—")}</td></tr>"));

    private static void Item(StringBuilder b, VerificationCheck c) =>
        b.Append(CultureInfo($"<li class=\"{E(c.Status)}\" data-code=\"{E(c.Code)}\">{E(c.Zh)} <span class=\"code\">{E(c.Code)}</span></li>"));

    private static string CoverageText(string coverage) => coverage switch
    {
        "entire-file" => "整个文件",
        "entire-revision" => "签章时的版本（其后有追加内容）",
        _ => "不明",
    };

    public static string StepText(string step) => step switch
    {
        "accept" => "受理",
        "initial-check" => "初审",
        "review" => "审核",
        "re-check" => "复核",
        "decide" => "审批决定",
        "issue" => "出件发证",
        _ => step,
    };

    private static string? KindText(string? kind) =>
        kind is not null && Enum.TryParse<Domain.Model.DocumentKind>(kind.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var k)
            ? Domain.Policy.DelegationPolicy.KindName(k)
            : kind;

    private static string? StatusText(string? status) =>
        Enum.TryParse<Domain.Model.SealStatus>(status, ignoreCase: true, out var s) ? SealStatusText(s) : status;

    private static string CultureInfo(FormattableString s) => FormattableString.Invariant(s);
}
