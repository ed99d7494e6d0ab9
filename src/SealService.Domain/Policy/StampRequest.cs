using SealService.Domain.Model;

namespace SealService.Domain.Policy;

/// <summary>One stamping request to decide. <see cref="At"/> is the instant the stamp would be applied.</summary>
public sealed record StampRequest(
    Caller Caller,
    string SealId,
    string MatterId,
    CaseStep Step,
    string? SubjectTownshipId,
    DocumentKind? DocumentKind,
    DateTimeOffset At);
