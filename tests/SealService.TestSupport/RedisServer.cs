using System.Diagnostics;
using System.Globalization;

namespace SealService.TestSupport;

/// <summary>A throw-away redis-server (Debian's redis-server package) on a free loopback port, no persistence. One per test class.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly ServerProcess _server;

    public RedisServer()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sealservice-redis-").FullName;
        Port = Loopback.FreePort();
        var start = new ProcessStartInfo(File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory,
                "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no",
            },
        };
        _server = ServerProcess.Start(start, "Ready to accept connections");
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    /// <summary>SIGKILL the server (tests of a Redis outage).</summary>
    public void Kill() => _server.Kill();

    public void Dispose()
    {
        _server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
