using System.Text.Json;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using RequiredAttribute = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace SealService.Api.Endpoints.Contracts;

/// <summary>
/// POST /stampings body (JSON, or multipart part <c>request</c> beside part <c>file</c>). Nullable, so that a missing
/// field is VALIDATION_FAILED naming it; [Required] says so in OpenAPI.
/// </summary>
public sealed record StampBody(
    [property: Required] string? SealId,
    [property: Required] string? MatterId,
    [property: Required] string? Step,
    [property: Required] string? CaseNumber,
    string? SubjectTownshipId,
    string? TemplateId,
    JsonElement? Fields,
    PlacementBody? Placement,
    string? DocumentKind,
    string? SignatureField = null,
    string? SignatureLevel = null)
{
    /// <summary>The domain command; wire-level errors (unknown step/kind, missing ids) are VALIDATION_FAILED (422).</summary>
    public StampCommand ToCommand()
    {
        var v = new Validator()
            .Required("sealId", SealId, Ids.MaxLength)
            .Required("matterId", MatterId, Ids.MaxLength)
            .MaxLength("subjectTownshipId", SubjectTownshipId, Ids.MaxLength)
            .MaxLength("templateId", TemplateId, Ids.MaxLength);
        if (!Wire.TryParseStep(Step, out var step))
            v.Add("step", "must be one of: accept, initial-check, review, re-check, decide, issue");
        var kind = BodyParsing.Enum<DocumentKind>(v, "documentKind", DocumentKind, required: false);
        var level = BodyParsing.Level(v, "signatureLevel", SignatureLevel);
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

        var placement = Placement is { } p ? new StampPlacement(p.Page ?? 0, p.X ?? -1, p.Y ?? -1, p.Width ?? 0, p.Height ?? 0) : null;
        return new StampCommand(SealId!, MatterId!, step, CaseNumber ?? string.Empty, SubjectTownshipId, TemplateId,
            Fields is { ValueKind: JsonValueKind.Null } ? null : Fields, placement, kind, SignatureField, level);
    }
}

public sealed record PlacementBody(int? Page, double? X, double? Y, double? Width, double? Height);

/// <summary>201 (new) or 200 (replayed for the same Idempotency-Key) answer of POST /stampings.</summary>
public sealed record StampView(
    string DocumentId, string DocumentNumber, string Sha256, long SizeBytes, string DownloadUrl, string VerificationUrl,
    string SealUseId, DateTimeOffset StampedAt)
{
    public static StampView From(StampResult r) =>
        new(r.DocumentId, r.DocumentNumber, r.Sha256, r.SizeBytes, r.DownloadUrl, r.VerificationUrl, r.SealUseId, r.StampedAt);
}
