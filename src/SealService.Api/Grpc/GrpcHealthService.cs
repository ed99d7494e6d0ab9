using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SealService.Api.Hosting.Health;

namespace SealService.Api.Grpc;

/// <summary>
/// grpc.health.v1 over the readiness checks, run when asked: "" and sealservice.v1.Stamping are SERVING when every
/// readiness check passes, sealservice.v1.Ledger when the ledger check does; NOT_SERVING before the host has started and
/// from the moment it begins to stop; an unknown service is NOT_FOUND (as the protocol says).
/// </summary>
internal sealed class GrpcHealthService(HealthCheckService checks, IHostApplicationLifetime lifetime) : Health.HealthBase
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);

    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        new() { Status = await StatusAsync(request.Service, context.CancellationToken) };

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        HealthCheckResponse.Types.ServingStatus? last = null;
        while (!ct.IsCancellationRequested)
        {
            var status = await StatusAsync(request.Service, ct);
            if (status != last)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, ct);
                last = status;
            }

            try
            {
                await Task.Delay(WatchInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(string service, CancellationToken ct)
    {
        Func<HealthCheckRegistration, bool> predicate = service switch
        {
            "" or GrpcSetup.StampingServiceName => r => r.Tags.Contains(HealthSetup.Ready),
            GrpcSetup.LedgerServiceName => r => r.Name == HealthSetup.LedgerCheck,
            _ => throw new RpcException(new Status(StatusCode.NotFound, $"unknown service '{service}'")),
        };
        if (!lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
            return HealthCheckResponse.Types.ServingStatus.NotServing;
        var report = await checks.CheckHealthAsync(predicate, ct);
        // A turned-off ledger is healthy for readiness but does not serve the Ledger service.
        if (service == GrpcSetup.LedgerServiceName && report.Entries.Values.Any(e => e.Description == LedgerSequencingCheck.Off))
            return HealthCheckResponse.Types.ServingStatus.NotServing;
        return report.Status == HealthStatus.Unhealthy ? HealthCheckResponse.Types.ServingStatus.NotServing : HealthCheckResponse.Types.ServingStatus.Serving;
    }
}
