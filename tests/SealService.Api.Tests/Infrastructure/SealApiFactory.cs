using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// The real host on Kestrel (loopback, random port) with its own SQLite data folder in a temp
/// directory. One per test class (xunit class fixture). Every log line is kept in <see cref="Logs"/>.
/// </summary>
public class SealApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _environment;

    public SealApiFactory()
        : this(new Dictionary<string, string?> { ["Auth:UseDevKey"] = "true" })
    {
    }

    protected SealApiFactory(IReadOnlyDictionary<string, string?> settings, string environment = "Development")
    {
        _settings = settings;
        _environment = environment;
        UseKestrel(0);
        StartServer();
    }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("sealservice-api-").FullName;

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The host's <see cref="TimeProvider"/>.</summary>
    public SteppingClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("SealService:DataDirectory", DataDirectory);
        builder.UseSetting("SealService:MaxRequestBodyBytes", (256 * 1024).ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(new CapturingLoggerProvider(Logs));
            });
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
