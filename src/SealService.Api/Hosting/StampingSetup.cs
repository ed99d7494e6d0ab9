using Microsoft.Extensions.Options;
using SealService.Api.Stamping;
using SealService.Domain.Application;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;
using SealService.Keys;
using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Store;
using SealService.Keys.Tsa;
using SealService.Ledger;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;
using SealService.Pdf.Rendering;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;

namespace SealService.Api.Hosting;

/// <summary>Host settings of stamping beyond the domain's <see cref="StampingOptions"/> ("SealService:Stamping").</summary>
public sealed class StampingHostOptions
{
    /// <summary>
    /// Level of a stamp whose request and seal name none: "B-B" (default), "B-T" (signature time-stamp from Keys:Tsa:Url,
    /// else the dev TSA), "B-LT" (B-T, then a DSS with the OCSP answers or CRLs of the seal and TSA certificates: from the
    /// dev CA in Development, else from the URLs in the certificates) or "B-LTA" (B-LT, then a document time-stamp).
    /// </summary>
    public string PadesLevel { get; set; } = "B-B";

    /// <summary>Template folder; empty → "templates" next to the executable (copied at build).</summary>
    public string? TemplatesDirectory { get; set; }

    /// <summary>
    /// At start, half-written documents and spooled uploads older than this are deleted. Zero (one node): all of them.
    /// When several nodes share the documents folder, set it above the longest stamping (e.g. 00:10:00).
    /// </summary>
    public TimeSpan OrphanFileGrace { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Document numbers reserved per counter write (1–10 000). After a crash or stop the unused rest of each seal's
    /// block is void (作废) — never reused — so this is the largest gap a restart leaves in a seal's numbers.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int NumberBlockSize { get; set; } = RelationalStampingStore.DefaultNumberBlockSize;
}

public static class StampingSetup
{
    /// <summary>Files of certs-dev copied into {data}/dev-keys so dev seal keys are issued there on demand.</summary>
    private static readonly string[] DevPkiFiles =
        ["root-ca.pem", "root-ca.p12", "issuing-ca.pem", "issuing-ca.p12", "tsa.pem", "tsa.p12", "ledger.pem", "ledger.p12"];

    public static IServiceCollection AddSealStamping(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<StampingOptions>().Bind(configuration.GetSection("SealService:Stamping")).Configure(o =>
        {
            if (configuration["SealService:PublicBaseUrl"] is { Length: > 0 } url)
                o.PublicBaseUrl = url;
        }).Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", "SealService:PublicBaseUrl must be an absolute http(s) URL")
          .Validate(o => o.MaxUploadBytes is > 0 and <= 1L << 32, "SealService:Stamping:MaxUploadBytes must be 1..4 GiB")
          .Validate(o => o.NumberPatterns.Values.All(DocumentNumberPattern.IsValid), "a document-number pattern needs exactly one {seq} or {seq:000…}")
          .ValidateOnStart();
        services.AddOptions<StampingHostOptions>().Bind(configuration.GetSection("SealService:Stamping")).ValidateDataAnnotations()
            .Validate(o => SignatureLevels.TryParse(o.PadesLevel, out _), $"SealService:Stamping:PadesLevel must be {SignatureLevels.Expected}").ValidateOnStart();
        var keysSection = configuration.GetSection("Keys");
        services.Configure<FileKeyStoreOptions>(keysSection);
        services.AddOptions<Pkcs11Options>().Bind(keysSection.GetSection("Pkcs11"));
        _ = KeyProvider(configuration); // an unknown provider stops the host at start, not at the first stamp
        services.Configure<TimeStampOptions>(keysSection.GetSection("Tsa"));
        services.AddHttpClient("tsa");

        services.AddSingleton(sp => new DocumentFiles(Path.Combine(DataFolder(sp), "documents")));
        services.AddSingleton(sp =>
        {
            var dir = sp.GetRequiredService<IOptions<StampingHostOptions>>().Value.TemplatesDirectory;
            return TemplateCatalog.Load(string.IsNullOrWhiteSpace(dir) ? Path.Combine(AppContext.BaseDirectory, "templates") : dir);
        });
        services.AddSingleton(sp => CreateTimeStamps(sp, environment));
        services.AddSingleton<ISealKeyStore>(sp => CreateKeyStore(sp, environment));
        services.AddSingleton(sp => new PdfDocumentFactory.Settings(
            DefaultLevel(sp),
            IssueDevSeals(sp, environment) ? sp.GetRequiredService<ISealKeyStore>() as IDevSealIssuer : null,
            sp.GetRequiredService<IRevocationClient>(),
            sp.GetRequiredService<SignatureTimeStamps>().Authority));
        services.AddHttpClient("revocation", c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => RevocationClient(sp, environment));
        services.AddSingleton<SealImages>();
        services.AddSingleton<IDocumentFactory, PdfDocumentFactory>();
        // Fail closed: the seal-use ledger is on unless an operator turns it off explicitly; outside Development it
        // then needs Ledger:KeyPath, and the host refuses to start without it.
        var ledgerOn = configuration["Ledger:Enabled"] is not { Length: > 0 } enabled || bool.Parse(enabled);
        if (ledgerOn)
        {
            services.Configure<LedgerOptions>(configuration.GetSection("Ledger"));
            services.AddSingleton(sp => new LedgerJournal(OpenLedger(sp, configuration, environment)));
        }

        // The storage adapter (RegistrySetup) builds its stamping store from these.
        services.AddSingleton(sp => new StampingStoreSettings(
            sp.GetRequiredService<IOptions<StampingHostOptions>>().Value.NumberBlockSize, ledgerOn ? sp.GetRequiredService<LedgerJournal>() : null));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StampingOptions>>().Value);
        services.AddOptions<SupervisionOptions>().Bind(configuration.GetSection("SealService:Supervision"))
            .Validate(o => string.IsNullOrWhiteSpace(o.WebhookUrl) || (Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "SealService:Supervision:WebhookUrl must be an absolute http(s) URL")
            .Validate(o => o.MaxAttempts is >= 1 and <= 100 && o.InitialDelay > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero, "supervision retry settings out of range")
            .ValidateOnStart();
        services.AddHttpClient(SupervisionDelivery.HttpClientName);
        services.AddHostedService<SupervisionDelivery>();
        services.AddSingleton<IStampingService>(sp => new Metrics.MeteredStampingService(new StampingService(
            sp.GetRequiredService<StampCheckService>(), sp.GetRequiredService<IStampingStore>(),
            sp.GetRequiredService<IDocumentFactory>(), sp.GetRequiredService<StampingOptions>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<Metrics.SealMetrics>()));
        return services;
    }

    /// <summary>Voids numbers left allocated by an interrupted run (call once at start, before requests are served).</summary>
    public static async Task InitializeStampingAsync(this WebApplication app)
    {
        var voided = await app.Services.GetRequiredService<RelationalStampingStore>().VoidInterruptedAsync(app.Lifetime.ApplicationStopping);
        if (voided > 0)
            app.Logger.LogInformation("{Count} document numbers reserved by the previous run and never written are void (作废, never reused)", voided);
        if (string.IsNullOrWhiteSpace(app.Configuration["SealService:PublicBaseUrl"]))
            app.Lifetime.ApplicationStarted.Register(() => UseListeningAddress(app));
        var grace = app.Services.GetRequiredService<IOptions<StampingHostOptions>>().Value.OrphanFileGrace;
        var removed = app.Services.GetRequiredService<DocumentFiles>().RemoveOrphans(DateTime.UtcNow - grace);
        if (removed > 0)
            app.Logger.LogWarning("{Count} files left by an interrupted run (half-written documents, spooled uploads) were removed", removed);
    }

    /// <summary>
    /// Without SealService:PublicBaseUrl, download and verification links (and the QR code) name the address the host
    /// actually listens on, not a default port. A wildcard address cannot be a link: then the setting is required.
    /// </summary>
    private static void UseListeningAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Grpc.SealListeners>().Rest.FirstOrDefault()?.ToString()
            ?? app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
            return;
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            app.Logger.LogWarning("The host listens on {Address} (every interface): set SealService:PublicBaseUrl so links and QR codes name a reachable address", address);
            return;
        }

        app.Services.GetRequiredService<StampingOptions>().PublicBaseUrl = uri.GetLeftPart(UriPartial.Authority);
    }

    private static string DataFolder(IServiceProvider sp) =>
        DataDirectory.Resolve(sp.GetRequiredService<IOptions<SealServiceOptions>>().Value.DataDirectory);

    private static bool IssueDevSeals(IServiceProvider sp, IHostEnvironment environment) =>
        environment.IsDevelopment() && (sp.GetRequiredService<IConfiguration>()["Keys:IssueMissingDevSeals"] is not { } flag || bool.Parse(flag));

    private static SignatureLevel DefaultLevel(IServiceProvider sp) =>
        SignatureLevels.TryParse(sp.GetRequiredService<IOptions<StampingHostOptions>>().Value.PadesLevel, out var level)
            ? level
            : throw new OptionsValidationException("SealService:Stamping:PadesLevel", typeof(StampingHostOptions), [$"PadesLevel must be {SignatureLevels.Expected}"]);

    /// <summary>
    /// Revocation answers for B-LT and for verification that may fetch: in Development the dev CA of this host; otherwise
    /// the URLs in the certificates, else the CA's own from Keys:Revocation:OcspUrl / CrlUrl.
    /// </summary>
    private static IRevocationClient RevocationClient(IServiceProvider sp, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
            return new LocalRevocationClient(sp.GetRequiredService<RevocationAuthority>());
        var section = sp.GetRequiredService<IConfiguration>().GetSection("Keys:Revocation");
        return new HttpRevocationClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient("revocation"), RevocationUrls.Of(section["CrlUrl"], section["OcspUrl"]));
    }

    /// <summary>
    /// Keys:Provider "pkcs11": keys in the token Keys:Pkcs11 names (docs/keys.md). Otherwise ("file", the default)
    /// Keys:Directory when configured. In Development without it: {data}/dev-keys, seeded with the committed dev CA so every
    /// demo seal gets a key whose certificate carries its registry text (the sample seal files in certs-dev are not used).
    /// Outside Development without it: no keys (stamping answers 503 SIGNING_FAILED; fail closed).
    /// </summary>
    private static ISealKeyStore CreateKeyStore(IServiceProvider sp, IHostEnvironment environment)
    {
        var tsa = sp.GetRequiredService<SignatureTimeStamps>().Authority;
        if (KeyProvider(sp.GetRequiredService<IConfiguration>()) == "pkcs11")
            return new Pkcs11SealKeyStore(sp.GetRequiredService<IOptions<Pkcs11Options>>().Value, tsa);
        return KeyOptions(sp, environment) is { } options ? new FileSealKeyStore(options, tsa) : new UnconfiguredKeyStore();
    }

    private static string KeyProvider(IConfiguration configuration) => configuration["Keys:Provider"] switch
    {
        null or "" or "file" => "file",
        "pkcs11" => "pkcs11",
        var other => throw new OptionsValidationException("Keys:Provider", typeof(Pkcs11Options), [$"Keys:Provider must be file or pkcs11, not '{other}'"]),
    };

    /// <summary>The key store's settings (dev defaults filled in), or null when no key store is configured. Idempotent.</summary>
    internal static FileKeyStoreOptions? KeyOptions(IServiceProvider sp, IHostEnvironment environment)
    {
        var options = sp.GetRequiredService<IOptions<FileKeyStoreOptions>>().Value;
        var configured = !string.IsNullOrWhiteSpace(sp.GetRequiredService<IConfiguration>()["Keys:Directory"]);
        if (!configured)
        {
            if (!environment.IsDevelopment())
                return null;
            options.Directory = SeedDevKeys(Path.Combine(DataFolder(sp), "dev-keys"));
        }

        if (environment.IsDevelopment() && string.IsNullOrEmpty(options.Passphrase))
            options.Passphrase = DevPki.DefaultPassphrase;
        options.IssueMissingDevSeals = IssueDevSeals(sp, environment);
        return options;
    }

    /// <summary>
    /// Keys:Tsa:Url when set; else the dev TSA (the key folder's tsa.p12) in Development or when the default level needs
    /// one; else none (a stamp asking for B-T and up is SIGNATURE_LEVEL_UNAVAILABLE).
    /// </summary>
    private static SignatureTimeStamps CreateTimeStamps(IServiceProvider sp, IHostEnvironment environment)
    {
        var required = DefaultLevel(sp) >= SignatureLevel.BaselineT;
        var tsaOptions = sp.GetRequiredService<IOptions<TimeStampOptions>>().Value;
        var external = !string.IsNullOrWhiteSpace(tsaOptions.Url);
        if (!external && !required && !environment.IsDevelopment())
            return SignatureTimeStamps.None;
        var keys = KeyOptions(sp, environment);
        if (!external && keys is null)
            return SignatureTimeStamps.None; // no key store either: stamping fails closed on the keys
        if (!external && !required && !File.Exists(Path.Combine(keys!.Directory, DevPki.TsaFile + ".p12")))
            return SignatureTimeStamps.None; // optional, and this key folder has no dev TSA
        var tsa = TimeStampAuthorities.Create(tsaOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient("tsa"),
            keys?.Directory ?? "", keys?.Passphrase ?? "", sp.GetRequiredService<TimeProvider>());
        return new SignatureTimeStamps(tsa, external ? new Uri(tsaOptions.Url!).Host : null, required);
    }

    /// <summary>
    /// The seal-use ledger in the registry's own SQLite file (so a record and its entry share one transaction). Key:
    /// Ledger:KeyReference (a key of the key store, e.g. "ledger" in the PKCS#11 token) or Ledger:KeyPath (a PKCS#12
    /// file); in Development without either, the committed dev ledger key (copied into {data}/dev-keys).
    /// </summary>
    private static SealLedger OpenLedger(IServiceProvider sp, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
        // A shared database brings its own ledger storage (with a sequencer); the embedded file keeps the ledger beside the registry.
        var storage = sp.GetService<ILedgerStorage>();
        if (storage is null)
            options.DatabasePath = sp.GetRequiredService<RelationalRegistryStore>().Database.FilePath
                ?? throw new InvalidOperationException("the storage adapter keeps no ledger");
        SealLedger Open(LedgerSigner signer) => (storage is null
            ? SealLedger.OpenAsync(options, signer, sp.GetRequiredService<TimeProvider>())
            : SealLedger.OpenAsync(storage, options, signer, sp.GetRequiredService<TimeProvider>())).GetAwaiter().GetResult();
        if (configuration["Ledger:KeyReference"] is { Length: > 0 } reference)
        {
            var key = sp.GetRequiredService<ISealKeyStore>().GetAsync(reference).GetAwaiter().GetResult(); // once, at start
            return Open(new LedgerSigner(key.Signer));
        }

        if (string.IsNullOrWhiteSpace(configuration["Ledger:KeyPath"]))
        {
            if (!environment.IsDevelopment())
                throw new OptionsValidationException("Ledger:KeyPath", typeof(LedgerOptions), ["Ledger:KeyReference or Ledger:KeyPath is required outside Development"]);
            options.KeyPath = Path.Combine(SeedDevKeys(Path.Combine(DataFolder(sp), "dev-keys")), "ledger.p12");
        }

        if (environment.IsDevelopment() && string.IsNullOrEmpty(options.KeyPassphrase))
            options.KeyPassphrase = DevPki.DefaultPassphrase;
        return Open(LedgerSigner.FromPkcs12(options.KeyPath, options.KeyPassphrase));
    }

    private static string SeedDevKeys(string target)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "certs-dev");
        Directory.CreateDirectory(target);
        foreach (var name in DevPkiFiles)
        {
            var to = Path.Combine(target, name);
            if (File.Exists(to) || !File.Exists(Path.Combine(source, name)))
                continue;
            // Nodes sharing the data folder may start together: copy aside, then move into place once.
            var part = $"{to}.{Environment.ProcessId}.part";
            File.Copy(Path.Combine(source, name), part, overwrite: true);
            try
            {
                File.Move(part, to, overwrite: false);
            }
            catch (IOException) when (File.Exists(to))
            {
                File.Delete(part);
            }
        }

        return target;
    }

    private sealed class UnconfiguredKeyStore : ISealKeyStore
    {
        public Task<SealKey> GetAsync(string keyReference, CancellationToken cancellationToken = default) =>
            throw new KeysException(KeyErrorCodes.KeyNotFound, "Keys:Directory is not configured");

        public Task<string?> ProblemAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<string?>("Keys:Directory is not configured: no seal can sign");
    }
}
