using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Auth;
using SealService.Api.Grpc;
using SealService.Api.Tests.Infrastructure;
using V1 = SealService.Api.Grpc.V1;

namespace SealService.Api.Tests.Grpc;

/// <summary>
/// The real host on Kestrel with both endpoints the service runs in production: REST (HTTP/1.1) and gRPC
/// (HTTP/2 only, h2c), each on a free loopback port (port 0 in the settings), and its own SQLite data folder.
/// </summary>
public class GrpcHostFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private GrpcChannel? _channel;

    public GrpcHostFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With further host settings (a seal key algorithm, the PAdES level).</summary>
    protected GrpcHostFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel();
        StartServer();
        var listeners = Services.GetRequiredService<SealListeners>();
        GrpcAddress = listeners.Grpc ?? throw new InvalidOperationException("the gRPC endpoint was not bound");
        ClientOptions.BaseAddress = listeners.Rest[0];
    }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("sealservice-grpc-").FullName;

    /// <summary>Where the HTTP/2-only gRPC endpoint listens (http://127.0.0.1:PORT).</summary>
    public Uri GrpcAddress { get; }

    /// <summary>One HTTP/2 channel to the gRPC endpoint, shared by the tests of a class.</summary>
    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
    {
        MaxSendMessageSize = 8 * 1024 * 1024,
        MaxReceiveMessageSize = 8 * 1024 * 1024,
    });

    public V1.Stamping.StampingClient Stamping => new(Channel);

    /// <summary>The host's <see cref="TimeProvider"/> (the dev TSA's too).</summary>
    public SteppingClock Clock { get; } = new();

    /// <summary>Upload limit the host runs with in these tests (small, so PDF_TOO_LARGE is cheap to reach).</summary>
    public const int MaxUploadBytes = 512 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting(SealListeners.GrpcUrlKey, "http://127.0.0.1:0");
        builder.UseSetting("Auth:UseDevKey", "true");
        builder.UseSetting("SealService:DataDirectory", DataDirectory);
        builder.UseSetting("SealService:Stamping:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>Call options for the test callers (a dev token in the authorization metadata).</summary>
public static class GrpcCallers
{
    public static CallOptions Bearer(string token) => new(new Metadata { { "authorization", $"Bearer {token}" } });

    public static CallOptions Clerk(string township) => Bearer(Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: township));

    public static CallOptions Officer(string department) => Bearer(Tokens.For(SealClaims.DepartmentOfficer, "科员", department: department));

    public static CallOptions Auditor() => Bearer(Tokens.For(SealClaims.Auditor, "审计员"));
}
