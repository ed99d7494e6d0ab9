using SealService.Api.Stamping;
using SealService.Ledger;
using SealService.Ledger.Signing;

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
        services.AddSingleton(sp => new CheckpointKey(OpenCheckpointSigner(sp)));
        services.AddHostedService<LedgerOpener>();
        services.AddSingleton<AuditPackageWriter>();
        services.AddSingleton<DocumentLedgerProof>();
        return services;
    }

    /// <summary>The checkpoint signer, or none when no key is configured (outside Development): then no checkpoints are served.</summary>
    public sealed record CheckpointKey(CheckpointSigner? Signer);

    private static CheckpointSigner? OpenCheckpointSigner(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LedgerOptions>>().Value;
        var path = options.CheckpointKeyPath;
        if (string.IsNullOrWhiteSpace(path) && sp.GetRequiredService<IHostEnvironment>().IsDevelopment())
            path = Path.Combine(AppContext.BaseDirectory, "certs-dev", "ledger-checkpoint.key.pem"); // public dev key
        return string.IsNullOrWhiteSpace(path) ? null : CheckpointSigner.FromPem(options.CheckpointOrigin, path);
    }

    /// <summary>Opens the ledger while the host starts (after options validation, before the server accepts requests).</summary>
    private sealed partial class LedgerOpener(IServiceProvider services, ILogger<LedgerOpener> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (services.GetService<LedgerJournal>()?.Ledger is { } ledger)
            {
                LogReady(logger, ledger.StorageName, ledger.Size, ledger.Signer.KeyId);
                if (services.GetRequiredService<CheckpointKey>().Signer is { } checkpoints)
                    LogCheckpoints(logger, checkpoints.VerifierKey);
                else
                    LogNoCheckpoints(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Ledger ready in {Path}: {Size} entries, key id {KeyId}")]
        private static partial void LogReady(ILogger logger, string path, long size, string keyId);

        [LoggerMessage(Level = LogLevel.Information, Message = "Ledger checkpoints (C2SP) verify with {VerifierKey}")]
        private static partial void LogCheckpoints(ILogger logger, string verifierKey);

        [LoggerMessage(Level = LogLevel.Warning, Message = "No Ledger:CheckpointKeyPath: the ledger serves no C2SP checkpoints")]
        private static partial void LogNoCheckpoints(ILogger logger);
    }
}
