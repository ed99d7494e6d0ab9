using System.Globalization;
using System.Runtime.InteropServices;
using SealService.Api.Auth;
using SealService.LoadGen;

// Load generator for POST /api/v1/stampings (see docs/performance.md). Loopback only; bounded in count and time.
if (args is ["--sample-pdf", var samplePath])
{
    await File.WriteAllBytesAsync(samplePath, SamplePdf.Create());
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var culture = CultureInfo.InvariantCulture;
var started = DateTimeOffset.UtcNow;
Console.WriteLine($"SealService load generator, {started:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average before: {LoadAverage()}");

var rsaBefore = RsaBaseline.SignsPerSecond(TimeSpan.FromSeconds(3));
Console.WriteLine(string.Format(culture, "RSA-2048 PKCS#1 v1.5 SHA-256 sign, one thread: {0:F0} signs/s", rsaBefore));

await using var service = options.Urls.Length == 0 ? await ServiceProcess.StartAsync(options.ApiDll, Console.Out) : null;
Uri[] targets = service is null ? options.Urls : [service.Url];
using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    Timeout = TimeSpan.FromSeconds(120),
};

// Request i goes to node i mod n (one node: always the same).
HttpRequestMessage To(HttpRequestMessage message, int index)
{
    message.RequestUri = new Uri(targets[index % targets.Length], message.RequestUri!);
    return message;
}

var token = DevTokens.Create(new DevTokenRequest(SealClaims.TownshipClerk, "压测窗口", TownshipId: "twp-mudan-shatu", Minutes: 240), DateTimeOffset.UtcNow);
var runId = started.ToString("MMddHHmmss", culture);
var workloads = new Workloads(token, runId);
Console.WriteLine($"target {string.Join(", ", targets.Select(t => t.ToString()))}; upload PDF {Workloads.PdfBytes} bytes; per level at most {options.RequestsPerLevel} requests or {options.MaxPerLevel.TotalSeconds:F0} s");

var results = new List<LevelResult>();
foreach (var workload in options.Workloads)
{
    for (var i = 0; i < options.Warmup; i++)
    {
        using var warm = await http.SendAsync(To(workloads.Create(workload, 0, i), i));
        if ((int)warm.StatusCode != 201)
        {
            Console.Error.WriteLine($"{workload} warm-up answered {(int)warm.StatusCode}: {await warm.Content.ReadAsStringAsync()}");
            return 1;
        }
    }

    foreach (var level in options.Concurrency)
    {
        var result = await LoadRunner.RunAsync(http, workload, level, options.RequestsPerLevel, options.MaxPerLevel,
            index => To(workloads.Create(workload, level, index), index), service is null ? null : () => service.CpuTime);
        results.Add(result);
        Console.WriteLine(string.Format(culture, "{0,-8} c={1,-3} ok={2,-5} failed={3,-4} {4,6:F1} s  {5,7:F1} req/s  p50 {6,7:F1} ms  p99 {7,7:F1} ms  server CPU {8} ms/stamp",
            workload, level, result.Ok, result.Failed, result.Elapsed.TotalSeconds, result.Throughput, result.P50, result.P99,
            result.ServerCpuMsPerStamp?.ToString("F1", culture) ?? "n/a"));
        if (result.Failed > 0)
            Console.WriteLine($"         first failure: {result.FailureSample}");
    }
}

var rsaAfter = RsaBaseline.SignsPerSecond(TimeSpan.FromSeconds(3));
Console.WriteLine(string.Format(culture, "RSA-2048 sign rate after the run: {0:F0} signs/s", rsaAfter));
var table = Report.Markdown(results, rsaBefore, rsaAfter, started, LoadAverage());
Console.WriteLine();
Console.WriteLine(table);
if (options.MarkdownOut is { } file)
    await File.WriteAllTextAsync(file, table);
return results.Any(r => r.Failed > 0 || r.Ok == 0) ? 1 : 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
