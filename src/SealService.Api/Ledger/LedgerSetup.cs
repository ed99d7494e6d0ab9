using SealService.Api.Stamping;
using SealService.Ledger;

namespace SealService.Api.Ledger;

/// <summary>
/// The ledger's endpoints and audit packages in the host. The ledger itself (options from section "Ledger", tables in the
/// registry's own SQLite file, the stamping store's journal) is set up with stamping (see StampingSetup.OpenLedger);
/// here it is opened at start (a tampered store fails the start: LEDGER_TAMPERED) and disposed with the container at stop.
/// </summary>
public static partial class LedgerSetup
{
    public static IServiceCollection AddSealLedger(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetService<LedgerJournal>()?.Ledger
            ?? throw new LedgerException(LedgerErrorCodes.LedgerClosed, "The ledger is not configured (Ledger:KeyPath, Ledger:Enabled)."));
        services.AddHostedService<LedgerOpener>();
        services.AddSingleton<AuditPackageWriter>();
        services.AddSingleton<DocumentLedgerProof>();
        return services;
    }

    /// <summary>Opens the ledger while the host starts (after options validation, before the server accepts requests).</summary>
    private sealed partial class LedgerOpener(IServiceProvider services, ILogger<LedgerOpener> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (services.GetService<LedgerJournal>()?.Ledger is { } ledger)
                LogReady(logger, ledger.DatabasePath, ledger.Size, ledger.Signer.KeyId);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Ledger ready in {Path}: {Size} entries, key id {KeyId}")]
        private static partial void LogReady(ILogger logger, string path, long size, string keyId);
    }
}
