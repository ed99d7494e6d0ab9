using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using SealService.Api.Auth;
using SealService.TestSupport;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>SealService.Api.dll from the test's output folder, Development, free loopback ports, its own data folder.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="urlsFromEnvironment">Give the address as ASPNETCORE_URLS instead of --urls (both must be honoured).</param>
    /// <param name="settings">Further settings as environment variables (e.g. Ledger__TreeHeadEveryEntries).</param>
    public static async Task<ServiceProcess> StartAsync(string data, bool urlsFromEnvironment = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = Loopback.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Started from its data folder, not its own: settings (appsettings.Development.json gives the dev-key auth
            // these tests use) must be found next to the executable, whatever the working folder.
            WorkingDirectory = data,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SealService.Api.dll"));
        if (urlsFromEnvironment)
        {
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        }
        else
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["SEALSERVICE_DATA"] = data;
        info.Environment["SealService__DataDirectory"] = data;
        // Never the default gRPC port 5081: the suite must pass while the README's service runs.
        info.Environment["SealService__GrpcUrl"] = "http://127.0.0.1:0";
        info.Environment["SealService__PublicBaseUrl"] = "https://seal.example.gov.cn";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the service");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service._output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => service._output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
                throw new InvalidOperationException("the service exited: " + string.Join('\n', service._output));
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode)
                    return service;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        service.Dispose();
        throw new TimeoutException("the service did not become healthy: " + string.Join('\n', service._output));
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Kill() => _process.Kill(); // SIGKILL on Unix

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
