using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SealService.Api.Auth;
using SealService.Api.Grpc.V1;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
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

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
