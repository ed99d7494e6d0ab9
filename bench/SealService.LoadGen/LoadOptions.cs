using System.Globalization;
using System.Net;

namespace SealService.LoadGen;

/// <summary>Command line: where to send load and how much. Only loopback targets are accepted.</summary>
internal sealed record LoadOptions(
    Uri[] Urls, string? ApiDll, int[] Concurrency, int RequestsPerLevel, TimeSpan MaxPerLevel, int Warmup, string[] Workloads, string? MarkdownOut)
{
    public const string Usage = """
        SealService load generator: drives POST /api/v1/stampings on loopback.

          --url http://127.0.0.1:5080   use a running service (loopback only; Development dev-key tokens);
                                        several nodes: comma-separated URLs, requests spread round-robin
          --api-dll PATH                start this SealService.Api.dll (or published executable) itself (default: found under src/SealService.Api/bin)
          --concurrency 1,8,32          concurrency levels
          --requests 200                at most this many requests per level and workload
          --seconds 20                  and at most this long per level and workload
          --warmup 5                    untimed requests before each workload
          --workloads template,upload   template stamping and/or signing an uploaded 20 KB PDF
          --markdown FILE               also write the result table as Markdown
          --sample-pdf FILE             only write the 20 KB sample PDF the upload workload signs
        """;

    public static LoadOptions Parse(string[] args)
    {
        Uri[] urls = [];
        string? dll = null, markdown = null;
        int[] levels = [1, 8, 32];
        int requests = 200, warmup = 5;
        var seconds = 20.0;
        string[] workloads = ["template", "upload"];
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": urls = [.. Next().Split(',').Select(u => new Uri(u))]; break;
                case "--api-dll": dll = Next(); break;
                case "--concurrency": levels = [.. Next().Split(',').Select(s => Positive(s, 256))]; break;
                case "--requests": requests = Positive(Next(), 100_000); break;
                case "--seconds": seconds = Positive(Next(), 600); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--workloads": workloads = Next().Split(','); break;
                case "--markdown": markdown = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (urls.FirstOrDefault(u => !IsLoopback(u)) is { } remote)
            throw new ArgumentException($"{remote} is not a loopback address; this generator only targets 127.0.0.0/8, ::1 or localhost");
        if (workloads.Any(w => w is not ("template" or "upload")))
            throw new ArgumentException("workloads are template and/or upload");
        if (warmup is < 0 or > 1000)
            throw new ArgumentException("warmup must be 0..1000");
        return new LoadOptions(urls, dll, levels, requests, TimeSpan.FromSeconds(seconds), warmup, workloads, markdown);
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static int Positive(string text, int max)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value >= 1 && value <= max ? value : throw new ArgumentException($"{text} must be 1..{max}");
    }
}
