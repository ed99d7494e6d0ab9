using Microsoft.Extensions.Options;
using SealService.Api.Hosting;
using SealService.Keys.Pki;
using SealService.Ledger;
using SealService.Ledger.Signing;
using SealService.Storage.Sqlite;

namespace SealService.Api.Ledger;

/// <summary>
/// The seal-use ledger in the host: options from section "Ledger", its tables in the registry's own SQLite file (so a
/// seal use and its ledger entry commit in one transaction), opened at start and disposed at stop.
/// </summary>
public static class LedgerSetup
{
    public const string Section = "Ledger";

    public static IServiceCollection AddSealLedger(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(Section)).Configure<IOptions<SealServiceOptions>>((ledger, service) =>
        {
            // Always the registry's file: the in-transaction append needs the ledger tables beside seal_uses.
            ledger.DatabasePath = DataDirectory.RegistryPath(DataDirectory.Resolve(service.Value.DataDirectory));
            if (!Path.IsPathRooted(ledger.KeyPath) && !File.Exists(ledger.KeyPath))
                ledger.KeyPath = Path.Combine(AppContext.BaseDirectory, ledger.KeyPath);
            if (environment.IsDevelopment() && string.IsNullOrEmpty(ledger.KeyPassphrase))
                ledger.KeyPassphrase = DevPki.DefaultPassphrase;
        }).Validate(o => !string.IsNullOrEmpty(o.KeyPassphrase), "Ledger:KeyPassphrase is required outside Development")
          .Validate(o => o.TreeHeadInterval >= TimeSpan.Zero && o.TreeHeadEveryEntries is >= 1 and <= 1_000_000 && o.MaxBatchSize is >= 1 and <= 10_000,
              "Ledger:TreeHeadInterval, TreeHeadEveryEntries or MaxBatchSize out of range")
          .ValidateOnStart();
        services.AddSingleton<LedgerRuntime>();
        // Opened by a hosted service: after options validation (ValidateOnStart), before the server accepts requests.
        services.AddHostedService(sp => sp.GetRequiredService<LedgerRuntime>());
        services.AddSingleton(sp => sp.GetRequiredService<LedgerRuntime>().Ledger);
        services.AddSingleton<ISealUseJournal, LedgerJournal>();
        services.AddSingleton<AuditPackageWriter>();
        services.AddSingleton(sp => new SqliteAuditQueries((SqliteRegistryStore)sp.GetRequiredService<SealService.Domain.Ports.IRegistryStore>()));
        services.AddSingleton<DocumentLedgerProof>();
        return services;
    }
}

/// <summary>
/// Holds the opened ledger for the host's lifetime: opens it at start (rebuilds the tree; a tampered store fails the start
/// with LEDGER_TAMPERED); disposing it stops the writer and the head issuer.
/// </summary>
public sealed partial class LedgerRuntime(IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerRuntime> logger) : IHostedService, IAsyncDisposable
{
    private SealLedger? _ledger;

    public SealLedger Ledger => _ledger ?? throw new InvalidOperationException("The ledger is not open yet (opened by the host at start).");

    /// <summary>The ledger key's PKCS#12 content path and passphrase (also signs audit packages).</summary>
    public LedgerOptions Options => options.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        LogReady(logger, Ledger.DatabasePath, Ledger.Size, Ledger.Signer.KeyId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_ledger is not null)
            return;
        var signer = LedgerSigner.FromPkcs12(options.Value.KeyPath, options.Value.KeyPassphrase);
        try
        {
            _ledger = await SealLedger.OpenAsync(options.Value, signer, time, ct);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ledger is { } ledger)
            await ledger.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger ready in {Path}: {Size} entries, key id {KeyId}")]
    private static partial void LogReady(ILogger logger, string path, long size, string keyId);
}
