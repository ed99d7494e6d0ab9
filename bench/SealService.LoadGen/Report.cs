using System.Globalization;
using System.Text;

namespace SealService.LoadGen;

/// <summary>The run as a Markdown table, throughput beside the raw RSA-2048 sign rate of the same run.</summary>
internal static class Report
{
    public static string Markdown(IReadOnlyList<LevelResult> results, double rsaBefore, double rsaAfter, DateTimeOffset started, string loadAfter)
    {
        var rsa = (rsaBefore + rsaAfter) / 2;
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Run {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores. RSA-2048 PKCS#1 SHA-256 signs/s on one thread: {rsaBefore:F0} before, {rsaAfter:F0} after (mean {rsa:F0}, i.e. {1000 / rsa:F2} ms CPU per signature). Load average after: {loadAfter}.");
        text.AppendLine();
        text.AppendLine("| workload | concurrency | requests ok | failed | seconds | stamps/s | p50 ms | p99 ms | server CPU ms/stamp | stamps/s ÷ RSA signs/s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(c, $"| {r.Workload} | {r.Concurrency} | {r.Ok} | {r.Failed} | {r.Elapsed.TotalSeconds:F1} | {r.Throughput:F1} | {r.P50:F1} | {r.P99:F1} | {r.ServerCpuMsPerStamp?.ToString("F1", c) ?? "n/a"} | {r.Throughput / rsa:P2} |");
        }

        return text.ToString();
    }
}
