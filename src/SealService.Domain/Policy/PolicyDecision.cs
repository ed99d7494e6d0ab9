using SealService.Domain.Model;

namespace SealService.Domain.Policy;

/// <summary>Stable refusal codes; approval systems branch on them.</summary>
public static class RefusalCodes
{
    public const string SealNotFound = "SEAL_NOT_FOUND";
    public const string SealSuspended = "SEAL_SUSPENDED";
    public const string SealRevoked = "SEAL_REVOKED";
    public const string SealRetired = "SEAL_RETIRED";
    public const string SealExpired = "SEAL_EXPIRED";
    public const string SealNotHeldByCaller = "SEAL_NOT_HELD_BY_CALLER";
    public const string SealWrongOwner = "SEAL_WRONG_OWNER";
    public const string MatterNotFound = "MATTER_NOT_FOUND";
    public const string MatterNotDelegated = "MATTER_NOT_DELEGATED";
    public const string AgreementNotFiled = "AGREEMENT_NOT_FILED";
    public const string AgreementNotYetEffective = "AGREEMENT_NOT_YET_EFFECTIVE";
    public const string AgreementExpired = "AGREEMENT_EXPIRED";
    public const string AgreementSuspended = "AGREEMENT_SUSPENDED";
    public const string AgreementRevoked = "AGREEMENT_REVOKED";
    public const string StepNotAllowed = "STEP_NOT_ALLOWED";
    public const string CrossTownship = "CROSS_TOWNSHIP";
    public const string DocumentKindNotAllowed = "DOCUMENT_KIND_NOT_ALLOWED";

    /// <summary>All codes, in the order the policy checks them (see README "Refusal order").</summary>
    public static readonly IReadOnlyList<string> All =
    [
        SealNotFound, SealNotHeldByCaller, SealRevoked, SealRetired, SealSuspended, SealExpired,
        MatterNotFound, CrossTownship, MatterNotDelegated,
        AgreementRevoked, AgreementSuspended, AgreementNotFiled, AgreementNotYetEffective, AgreementExpired,
        SealWrongOwner, StepNotAllowed, DocumentKindNotAllowed,
    ];
}

/// <summary>
/// What an allowed stamp rests on. <see cref="AgreementId"/> is null when a department stamps its own matter
/// with its own seal (no delegation involved).
/// </summary>
public sealed record PolicyBasis(
    string SealId,
    int SealVersion,
    string? AgreementId,
    int? AgreementVersion,
    DelegationMode? Mode,
    string ActingBodyId);

/// <summary>Allowed (with its basis) or refused (with a stable code and a readable message).</summary>
public sealed record PolicyDecision
{
    private PolicyDecision(bool allowed, string? code, string message, PolicyBasis? basis)
    {
        Allowed = allowed;
        Code = code;
        Message = message;
        Basis = basis;
    }

    public bool Allowed { get; }

    /// <summary>Refusal code; null when allowed.</summary>
    public string? Code { get; }

    public string Message { get; }

    public PolicyBasis? Basis { get; }

    public static PolicyDecision Allow(PolicyBasis basis, string message) => new(true, null, message, basis);

    public static PolicyDecision Refuse(string code, string message) => new(false, code, message, null);

    public override string ToString() => Allowed ? $"Allowed({Basis})" : $"Refused({Code}: {Message})";
}
