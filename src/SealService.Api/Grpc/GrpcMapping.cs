using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SealService.Api.Auth;
using SealService.Api.Grpc.V1;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;
using PolicyBasis = SealService.Api.Grpc.V1.PolicyBasis;

namespace SealService.Api.Grpc;

/// <summary>Proto messages ↔ domain types. proto3 strings are never null: empty means "not given".</summary>
internal static class GrpcMapping
{
    public static string? Optional(string value) => string.IsNullOrEmpty(value) ? null : value;

    public static Caller DomainCaller(this ServerCallContext context) => context.GetHttpContext().DomainCaller();

    public static CaseStep Step(Validator v, string step)
    {
        if (Wire.TryParseStep(step, out var parsed))
            return parsed;
        v.Add("step", "must be one of: accept, initial-check, review, re-check, decide, issue");
        return default;
    }

    /// <summary>A kebab-case enum word, or null when empty; an unknown word is a field error.</summary>
    public static T? OptionalEnum<T>(Validator v, string field, string value) where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(value))
            return null;
        if (value.Length <= 64 && Wire.TryParse<T>(value, out var parsed))
            return parsed;
        v.Add(field, $"'{Truncate(value)}' is not a known value");
        return null;
    }

    public static CheckStampResponse ToResponse(PolicyDecision decision, DateTimeOffset at)
    {
        var response = new CheckStampResponse
        {
            Allowed = decision.Allowed,
            Code = decision.Code ?? "",
            Message = decision.Message,
            At = Timestamp.FromDateTimeOffset(at),
        };
        if (decision.Basis is { } b)
        {
            response.Basis = new PolicyBasis
            {
                SealId = b.SealId,
                SealVersion = b.SealVersion,
                AgreementId = b.AgreementId ?? "",
                Mode = b.Mode is { } m ? Wire.Name(m) : "",
                ActingBodyId = b.ActingBodyId,
            };
            if (b.AgreementVersion is { } version)
                response.Basis.AgreementVersion = version;
        }
        return response;
    }

    /// <summary>Largest <c>fields</c> object, as JSON text.</summary>
    public const int MaxFieldsJsonChars = 64 * 1024;

    /// <summary>The transport-neutral command (field errors use the proto names, as the domain's are mapped).</summary>
    public static StampCommand ToCommand(V1.StampRequest request)
    {
        var v = new Validator()
            .Required("seal_id", request.SealId, Ids.MaxLength)
            .Required("matter_id", request.MatterId, Ids.MaxLength)
            .MaxLength("subject_township_id", request.SubjectTownshipId, Ids.MaxLength)
            .MaxLength("template_id", request.TemplateId, Ids.MaxLength);
        var step = Step(v, request.Step);
        var documentKind = OptionalEnum<DocumentKind>(v, "document_kind", request.DocumentKind);
        var fields = Fields(v, request.Fields);
        var level = Endpoints.Contracts.BodyParsing.Level(v, "signature_level", request.SignatureLevel);
        v.ThrowIfAny();
        var placement = request.Placement is { } p ? new StampPlacement(p.Page, p.X, p.Y, p.Width, p.Height) : null;
        return new StampCommand(request.SealId, request.MatterId, step, request.CaseNumber, Optional(request.SubjectTownshipId),
            Optional(request.TemplateId), fields, placement, documentKind, Optional(request.SignatureField), level);
    }

    /// <summary>The PDF bytes of a unary request as a read-only stream over the message's own buffer (no copy).</summary>
    public static Stream ReadOnlyStream(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToByteArray(), writable: false);

    public static StampResponse ToResponse(StampResult r) => new()
    {
        DocumentId = r.DocumentId,
        DocumentNumber = r.DocumentNumber,
        Sha256 = r.Sha256,
        SizeBytes = r.SizeBytes,
        SealUseId = r.SealUseId,
        DownloadUrl = r.DownloadUrl,
        VerificationUrl = r.VerificationUrl,
        StampedAt = Timestamp.FromDateTimeOffset(r.StampedAt),
        Replayed = r.Replayed,
    };

    public static V1.DocumentRecord ToMessage(Domain.Stamping.DocumentRecord r) => new()
    {
        DocumentId = r.DocumentId,
        DocumentNumber = r.DocumentNumber,
        Sha256 = r.Sha256,
        SizeBytes = r.SizeBytes,
        TemplateId = r.TemplateId ?? "",
        DownloadUrl = r.DownloadUrl,
        VerificationUrl = r.VerificationUrl,
        SealUse = ToMessage(r.SealUse),
    };

    public static SealUse ToMessage(SealUseRecord u)
    {
        var message = new SealUse
        {
            Id = u.Id,
            At = Timestamp.FromDateTimeOffset(u.At),
            Outcome = u.Outcome,
            Code = u.Code ?? "",
            Message = u.Message ?? "",
            ActorName = u.ActorName,
            ActorRole = Wire.Name(u.ActorRole),
            ActorDepartmentId = u.ActorDepartmentId ?? "",
            ActorTownshipId = u.ActorTownshipId ?? "",
            SealId = u.SealId,
            SealDepartmentId = u.SealDepartmentId ?? "",
            SealTownshipId = u.SealTownshipId ?? "",
            MatterId = u.MatterId,
            Step = Wire.Name(u.Step),
            CaseNumber = u.CaseNumber,
            SubjectTownshipId = u.SubjectTownshipId ?? "",
            AgreementId = u.AgreementId ?? "",
            Mode = u.Mode is { } m ? Wire.Name(m) : "",
            DocumentKind = u.DocumentKind is { } k ? Wire.Name(k) : "",
            TemplateId = u.TemplateId ?? "",
            DocumentId = u.DocumentId ?? "",
            DocumentNumber = u.DocumentNumber ?? "",
            Sha256 = u.Sha256 ?? "",
        };
        if (u.SealVersion is { } sealVersion)
            message.SealVersion = sealVersion;
        if (u.AgreementVersion is { } agreementVersion)
            message.AgreementVersion = agreementVersion;
        if (u.LedgerIndex is { } ledgerIndex)
            message.LedgerIndex = ledgerIndex;
        return message;
    }

    /// <summary>Filter and page as REST reads them: limit 0 means the default 50, otherwise 1..max page size.</summary>
    public static (SealUseFilter Filter, PageRequest Page) ToQuery(QuerySealUsesRequest q, int maxPageSize)
    {
        var v = new Validator()
            .MaxLength("department_id", q.DepartmentId, Ids.MaxLength)
            .MaxLength("township_id", q.TownshipId, Ids.MaxLength)
            .MaxLength("seal_id", q.SealId, Ids.MaxLength)
            .MaxLength("matter_id", q.MatterId, Ids.MaxLength);
        if (Optional(q.Outcome) is { } outcome && outcome is not (SealUseOutcomes.Stamped or SealUseOutcomes.Refused))
            v.Add("outcome", "must be stamped or refused");
        var max = Math.Min(maxPageSize, Limits.PageSizeMax);
        var limit = q.Limit == 0 ? 50 : q.Limit;
        if (limit < 1 || limit > max)
            v.Add("limit", $"must be between 1 and {max}");
        if (q.Offset < 0)
            v.Add("offset", "must be 0 or more");
        var from = q.From?.ToDateTimeOffset();
        var to = q.To?.ToDateTimeOffset();
        if (from is not null && to is not null && to < from)
            v.Add("to", "must not be before from");
        v.ThrowIfAny();
        var filter = new SealUseFilter(Optional(q.DepartmentId), Optional(q.TownshipId), Optional(q.SealId), Optional(q.MatterId), Optional(q.Outcome), from, to);
        return (filter, new PageRequest(q.Offset, limit));
    }

    /// <summary>The template's field values as the JSON object the renderer takes.</summary>
    private static JsonElement? Fields(Validator v, Struct? fields)
    {
        if (fields is null)
            return null;
        try
        {
            var json = JsonFormatter.Default.Format(fields);
            if (json.Length > MaxFieldsJsonChars)
            {
                v.Add("fields", $"must be at most {MaxFieldsJsonChars} characters as JSON");
                return null;
            }

            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Nested deeper than 16 levels, or a number JSON cannot hold (NaN, infinity).
            v.Add("fields", "must be a JSON object of at most 16 levels with finite numbers");
            return null;
        }
    }

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
