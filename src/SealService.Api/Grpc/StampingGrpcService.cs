using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SealService.Api.Auth;
using SealService.Api.Grpc.V1;
using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using DomainStampRequest = SealService.Domain.Policy.StampRequest;

namespace SealService.Api.Grpc;

/// <summary>
/// sealservice.v1.Stamping over the same application services as REST. Any authenticated caller may call it; the
/// delegation policy and the services decide what each caller may do (same codes as REST).
/// </summary>
[Authorize(Policy = AuthSetup.CanCheckStamps)]
internal sealed class StampingGrpcService(StampCheckService checks, TimeProvider clock) : Stamping.StampingBase
{
    public override async Task<CheckStampResponse> CheckStamp(CheckStampRequest request, ServerCallContext context)
    {
        var v = new Validator()
            .Required("seal_id", request.SealId, Ids.MaxLength)
            .Required("matter_id", request.MatterId, Ids.MaxLength)
            .MaxLength("subject_township_id", request.SubjectTownshipId, Ids.MaxLength)
            .MaxLength("as_township_id", request.AsTownshipId, Ids.MaxLength);
        var step = GrpcMapping.Step(v, request.Step);
        var documentKind = GrpcMapping.OptionalEnum<DocumentKind>(v, "document_kind", request.DocumentKind);
        v.ThrowIfAny();

        var caller = context.DomainCaller();
        if (GrpcMapping.Optional(request.AsTownshipId) is { } asTownship)
        {
            if (caller.Role == CallerRole.TownshipClerk && caller.TownshipId != asTownship)
                throw GrpcErrors.Exception(StatusCode.PermissionDenied, ErrorCodes.Forbidden, "a township clerk can only check as their own township");
            // Ask as a clerk of that township would: the decision they would get.
            caller = caller with { Role = CallerRole.TownshipClerk, TownshipId = asTownship, DepartmentId = null };
        }

        var at = request.At?.ToDateTimeOffset() ?? clock.GetUtcNow();
        var decision = await checks.CheckAsync(
            new DomainStampRequest(caller, request.SealId, request.MatterId, step, GrpcMapping.Optional(request.SubjectTownshipId), documentKind, at),
            context.CancellationToken);
        return GrpcMapping.ToResponse(decision, at);
    }
}
