using System.Text.Json;
using SealService.Domain.Model;

namespace SealService.Domain.Stamping;

/// <summary>Where the visible seal goes on an uploaded PDF: 1-based page (0 = last), rectangle in PDF points, origin bottom-left.</summary>
public sealed record StampPlacement(int Page, double X, double Y, double Width, double Height);

/// <summary>
/// One stamping request, transport-neutral (REST JSON part `request`, gRPC message). Either <see cref="TemplateId"/> with
/// <see cref="Fields"/> (a JSON object) or an uploaded PDF (passed beside the command as a stream) with an optional
/// <see cref="Placement"/>. <see cref="DocumentKind"/> is the template's own (a different value is refused) and required
/// for an upload; the policy decides on it. <see cref="SignatureField"/> names an existing empty signature field of the
/// upload to sign into (a certified upload, DocMDP P=2/P=3, can only be signed that way); it excludes a placement.
/// <see cref="SignatureLevel"/> overrides the seal's level (and the host's default) for this stamp.
/// </summary>
public sealed record StampCommand(
    string SealId,
    string MatterId,
    CaseStep Step,
    string CaseNumber,
    string? SubjectTownshipId,
    string? TemplateId = null,
    JsonElement? Fields = null,
    StampPlacement? Placement = null,
    DocumentKind? DocumentKind = null,
    string? SignatureField = null,
    SignatureLevel? SignatureLevel = null);
