using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SealService.Api.Auth;
using SealService.Api.Grpc;
using SealService.Ledger;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Ledger;

/// <summary>sealservice.v1.Ledger: the REST ledger endpoints over gRPC, same roles, same codes (GrpcErrors).</summary>
[Authorize(Roles = SealClaims.Auditor + "," + SealClaims.RegistryAdmin + "," + SealClaims.DepartmentOfficer)]
internal sealed class LedgerGrpcService(IServiceProvider services) : V1.Ledger.LedgerBase
{
    public override Task<V1.SignedTreeHead> GetTreeHead(V1.GetTreeHeadRequest request, ServerCallContext context) =>
        Run(async ledger => LedgerGrpcMapping.Head(await ledger.GetLatestTreeHeadAsync(context.CancellationToken)
            ?? throw new LedgerException(LedgerErrorCodes.TreeHeadNotFound, "No tree head has been signed yet.")));

    public override Task<V1.ListTreeHeadsResponse> ListTreeHeads(V1.ListTreeHeadsRequest request, ServerCallContext context) =>
        Run(async ledger =>
        {
            var heads = await ledger.ListTreeHeadsAsync(request.From, request.To == 0 ? long.MaxValue : request.To,
                request.Limit == 0 ? 1000 : request.Limit, context.CancellationToken);
            var response = new V1.ListTreeHeadsResponse();
            response.TreeHeads.AddRange(heads.Select(LedgerGrpcMapping.Head));
            return response;
        });

    public override Task<V1.InclusionProof> GetInclusionProof(V1.GetInclusionProofRequest request, ServerCallContext context) =>
        Run(async ledger =>
        {
            var proof = request.TreeSize == 0
                ? await ledger.GetInclusionProofAsync(request.Index, context.CancellationToken)
                : await ledger.GetInclusionProofAsync(request.Index, request.TreeSize, context.CancellationToken);
            return LedgerGrpcMapping.Proof(proof);
        });

    public override Task<V1.ConsistencyProof> GetConsistencyProof(V1.GetConsistencyProofRequest request, ServerCallContext context) =>
        Run(async ledger =>
        {
            var proof = await ledger.GetConsistencyProofAsync(request.First, request.Second, context.CancellationToken);
            var message = new V1.ConsistencyProof
            {
                First = proof.First,
                Second = proof.Second,
                FirstTreeHead = LedgerGrpcMapping.Head(proof.FirstTreeHead),
                SecondTreeHead = LedgerGrpcMapping.Head(proof.SecondTreeHead),
            };
            message.ConsistencyPath.AddRange(proof.ConsistencyPath.Select(ByteString.CopyFrom));
            return message;
        });

    [Authorize(Roles = SealClaims.Auditor)]
    public override Task<V1.LedgerVerificationReport> Verify(V1.VerifyLedgerRequest request, ServerCallContext context) =>
        Run(async ledger =>
        {
            var report = await ledger.VerifyAsync(context.CancellationToken);
            var message = new V1.LedgerVerificationReport
            {
                IsValid = report.IsValid,
                FirstBadIndex = report.FirstBadIndex ?? -1,
                EntryCount = report.EntryCount,
                TreeHeadCount = report.TreeHeadCount,
                LatestSignedTreeSize = report.LatestSignedTreeSize ?? 0,
                UnsignedEntries = report.UnsignedEntries,
                FirstFinding = report.FirstFinding is { } first ? Finding(first) : null,
            };
            message.Findings.AddRange(report.Findings.Select(Finding));
            return message;
        });

    private static V1.LedgerFinding Finding(SealService.Ledger.Verification.LedgerFinding f) => new()
    {
        Code = f.Code,
        Index = f.Index ?? -1,
        TreeSize = f.TreeSize ?? -1,
        Message = f.Message,
    };

    /// <summary>The ledger is resolved per call (it exists only where the host runs one); its errors pass the interceptor.</summary>
    private Task<T> Run<T>(Func<SealLedger, Task<T>> call) => call(services.GetRequiredService<SealLedger>());
}
