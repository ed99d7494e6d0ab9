using System.Text.Json;
using SealService.Domain.Errors;
using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>Input checks before anything is decided (VALIDATION_FAILED, 422 on the stamping endpoints).</summary>
internal static class StampValidation
{
    private const double MaxCoordinate = 14400; // PDF user-space limit (200 in)
    private const int MaxSignatureFieldLength = 128;

    public static void Check(StampCommand c, bool hasUpload, string? idempotencyKey)
    {
        var v = new Validator().Id("sealId", c.SealId).Id("matterId", c.MatterId).Required("caseNumber", c.CaseNumber, StampingService.MaxCaseNumberLength);
        if (c.SubjectTownshipId is not null)
        {
            v.Id("subjectTownshipId", c.SubjectTownshipId);
        }

        if (!Enum.IsDefined(c.Step))
        {
            v.Add("step", "未知环节 (unknown step)");
        }

        if (c.DocumentKind is { } kind && !Enum.IsDefined(kind))
        {
            v.Add("documentKind", "未知文书类型 (unknown document kind)");
        }
        else if (hasUpload && c.DocumentKind is null)
        {
            v.Add("documentKind", "上传 PDF 时必须说明文书类型 (an upload must state its documentKind)");
        }

        if (idempotencyKey is not { Length: > 0 and <= StampingService.MaxIdempotencyKeyLength } || idempotencyKey.Any(ch => ch is < '!' or > '~'))
        {
            v.Add("Idempotency-Key", "必填，1..128 个可打印 ASCII 字符 (required, 1..128 printable ASCII characters)");
        }

        switch (c.TemplateId, hasUpload)
        {
            case (null, false):
                v.Add("templateId", "需要 templateId 或上传的 PDF (a template id or an uploaded PDF is required)");
                break;
            case (not null, true):
                v.Add("templateId", "templateId 与上传的 PDF 只能二选一 (either a template or an uploaded PDF, not both)");
                break;
            case (not null, false):
                v.Id("templateId", c.TemplateId);
                if (c.Placement is not null)
                {
                    v.Add("placement", "模板文书的印章位置由模板决定 (a template places its own seal)");
                }

                break;
        }

        if (c.Fields is { } fields && fields.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            v.Add("fields", "必须是 JSON 对象 (must be a JSON object)");
        }
        else if (c.Fields is { ValueKind: JsonValueKind.Object } && hasUpload)
        {
            v.Add("fields", "上传 PDF 时不接受 fields (fields belong to a template)");
        }
        else if (c.Fields is { ValueKind: JsonValueKind.Object } obj)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (obj.EnumerateObject().Any(p => !names.Add(p.Name)))
            {
                v.Add("fields", "字段名重复 (duplicate field names)");
            }
        }

        if (c.SignatureField is { } field)
        {
            if (!hasUpload)
            {
                v.Add("signatureField", "只有上传的 PDF 才有签名域 (only an uploaded PDF has signature fields)");
            }
            else if (c.Placement is not null)
            {
                v.Add("signatureField", "签名域与印章位置只能二选一 (a signature field has its own place: give a field or a placement, not both)");
            }

            if (field.Length is 0 or > MaxSignatureFieldLength || field.Any(char.IsControl))
            {
                v.Add("signatureField", $"1..{MaxSignatureFieldLength} 个可打印字符 (1..{MaxSignatureFieldLength} printable characters)");
            }
        }

        if (c.Placement is { } p)
        {
            if (p.Page is < 0 or > 100_000)
            {
                v.Add("placement.page", "页码 0..100000（0 = 末页）(page 0..100000, 0 = last)");
            }

            if (!Finite(p.X, 0) || !Finite(p.Y, 0) || !Finite(p.Width, 1) || !Finite(p.Height, 1))
            {
                v.Add("placement", $"坐标必须在 0..{MaxCoordinate} 之间，宽高至少 1 (coordinates 0..{MaxCoordinate} pt, width/height >= 1)");
            }
        }

        if (v.HasErrors)
        {
            try
            {
                v.ThrowIfAny();
            }
            catch (DomainException e)
            {
                throw new StampingException(e.Code, e.Message, e.Errors);
            }
        }
    }

    private static bool Finite(double value, double min) => double.IsFinite(value) && value >= min && value <= MaxCoordinate;
}
