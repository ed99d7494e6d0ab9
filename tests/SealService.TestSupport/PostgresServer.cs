using System.Diagnostics;
using System.Globalization;

namespace SealService.TestSupport;

/// <summary>
/// A throw-away PostgreSQL cluster (Debian's postgresql package): initdb into a temp folder, then postgres on a free
/// loopback port, trust auth for the test user, no fsync (tests, not durability). PostgreSQL refuses to run as root,
/// so under root both run as the package's "postgres" user. One per test class.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string User = "sealservice";
    private readonly ServerProcess _server;

    public PostgresServer()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sealservice-pg-").FullName;
        Port = Loopback.FreePort();
        var data = Path.Combine(Directory, "data");
        var sockets = Path.Combine(Directory, "sockets");
        System.IO.Directory.CreateDirectory(sockets);
        GiveToServerUser(Directory);
        GiveToServerUser(sockets);
        ServerProcess.Run(As(Binary("initdb"), "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        _server = ServerProcess.Start(As(Binary("postgres"), "-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", sockets,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200", "-c", "shared_buffers=64MB", "-c", "track_commit_timestamp=on"), "database system is ready to accept connections");
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>Npgsql connection string for <paramref name="database"/> (the cluster's default "postgres" unless named).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Timeout=15";

    public string Log => _server.Log;

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying server: the temp folder is cleaned by the OS later
        }
    }

    /// <summary>PATH first, then Debian's versioned folders (/usr/lib/postgresql/N/bin, newest first).</summary>
    private static string Binary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, name)))
                return Path.Combine(dir, name);
        }

        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", name)).FirstOrDefault(File.Exists)
            : null;
        return debian ?? throw new InvalidOperationException($"PostgreSQL's {name} was not found: install the Debian package postgresql (scripts/ensure-test-tools.sh)");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static ProcessStartInfo As(string program, params string[] args)
    {
        var start = IsRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(program);
        if (IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
                start.ArgumentList.Add(a);
        }

        foreach (var a in args)
            start.ArgumentList.Add(a);
        return start;
    }

    private static void GiveToServerUser(string path)
    {
        if (IsRoot)
            ServerProcess.Run(new ProcessStartInfo("chown") { ArgumentList = { "postgres:postgres", path } });
    }
}
