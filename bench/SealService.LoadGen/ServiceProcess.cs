using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SealService.LoadGen;

/// <summary>
/// A SealService host this generator starts itself: its own process (so client and server do not share a GC),
/// a fresh data folder with the demo registry, Development settings (dev-key tokens), REST on a free loopback port,
/// gRPC endpoint off. Killed and its data folder removed on dispose.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServiceProcess(Process process, string dataDirectory, Uri url)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>CPU time the host process has used so far (user + kernel, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServiceProcess> StartAsync(string? apiDll, TextWriter log)
    {
        var dll = apiDll ?? FindApiDll();
        var data = Directory.CreateTempSubdirectory("sealservice-loadgen-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        // A .dll runs under the shared dotnet host; anything else is taken for a published executable (scripts/publish.sh).
        var isDll = dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? "dotnet" : Path.GetFullPath(dll)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (isDll)
            start.ArgumentList.Add(Path.GetFullPath(dll));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Auth__UseDevKey"] = "true"; // DEVELOPMENT tokens only; this host lives for the run on loopback
        start.Environment["Urls"] = url.ToString().TrimEnd('/');
        start.Environment["SealService__GrpcUrl"] = "";
        start.Environment["SealService__DataDirectory"] = data;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        log.WriteLine($"starting {dll} on {url} (data {data})");
        var deadline = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, data, url);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                break;
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    log.WriteLine($"first healthy answer {deadline.Elapsed.TotalSeconds:F2} s after start");
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(20);
        }

        await service.DisposeAsync();
        throw new InvalidOperationException($"the service did not become healthy: {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>The built host under the repository, Release preferred.</summary>
    private static string FindApiDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SealService.sln")))
                continue;
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var dll = Path.Combine(dir.FullName, "src", "SealService.Api", "bin", configuration, "net10.0", "SealService.Api.dll");
                if (File.Exists(dll))
                    return dll;
            }

            break;
        }

        throw new InvalidOperationException("SealService.Api.dll not found: build it (dotnet build src/SealService.Api -c Release) or pass --api-dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
