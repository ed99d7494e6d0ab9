using System.Diagnostics;
using System.Net;

namespace SealService.LoadGen;

/// <summary>Result of one workload at one concurrency level. Latencies are per request, client side, in milliseconds.</summary>
internal sealed record LevelResult(
    string Workload, int Concurrency, int Ok, int Failed, TimeSpan Elapsed, double P50, double P99, double Mean, string FailureSample, TimeSpan? ServerCpu)
{
    public double Throughput => Ok / Elapsed.TotalSeconds;

    /// <summary>Server CPU milliseconds per successful stamp (null when the server is not ours to measure).</summary>
    public double? ServerCpuMsPerStamp => ServerCpu is { } cpu && Ok > 0 ? cpu.TotalMilliseconds / Ok : null;
}

/// <summary>Closed-loop load: <c>concurrency</c> workers each send the next request as soon as their last one answered.</summary>
internal static class LoadRunner
{
    public static async Task<LevelResult> RunAsync(
        HttpClient http, string workload, int concurrency, int maxRequests, TimeSpan maxTime, Func<int, HttpRequestMessage> create, Func<TimeSpan>? serverCpu)
    {
        var cpuBefore = serverCpu?.Invoke();
        var next = 0;
        var failed = 0;
        var failure = "";
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();

        async Task Worker(int w)
        {
            var mine = latencies[w] = new List<double>(maxRequests / concurrency + 1);
            while (clock.Elapsed < maxTime)
            {
                var index = Interlocked.Increment(ref next);
                if (index > maxRequests)
                    return;
                using var request = create(index);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var body = response.StatusCode == HttpStatusCode.Created ? null : await response.Content.ReadAsStringAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (body is null)
                {
                    mine.Add(elapsed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref failure, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", "");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))));
        var elapsedAll = clock.Elapsed;
        var cpuUsed = serverCpu?.Invoke() - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LevelResult(workload, concurrency, all.Length, failed, elapsedAll,
            Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? double.NaN : all.Average(), failure, cpuUsed);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
