using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests;

/// <summary>
/// /metrics (Prometheus text, no token): the stamp counters move with stamps and refusals, and the latency histogram counts
/// them. The real service as a child process: meters are process-wide, and in a process of many test hosts disposing one
/// host's meter silences every meter of the same name (open-telemetry/opentelemetry-dotnet#6412).
/// </summary>
public sealed partial class MetricsTests : IAsyncLifetime
{
    private const string Shatu = "twp-mudan-shatu";
    private readonly string _data = Directory.CreateTempSubdirectory("metrics-").FullName;
    private ServiceProcess? _service;

    // A signed head after every entry, so the head's gauges move with the stamps.
    public async Task InitializeAsync() =>
        _service = await ServiceProcess.StartAsync(_data, settings: new Dictionary<string, string> { ["Ledger__TreeHeadEveryEntries"] = "1" });

    public Task DisposeAsync()
    {
        _service?.Dispose();
        Directory.Delete(_data, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Stamp_counters_and_latency_move_with_stamps_and_refusals()
    {
        var before = await ScrapeAsync();
        Assert.Matches(SizeLine(), before); // the gauges are there before the first stamp

        using var clerk = _service!.Client(Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: Shatu));
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "MET-1"))).Json(HttpStatusCode.Created);
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "MET-2"))).Json(HttpStatusCode.Created);
        // Wudian's clerk asks for Shatu's seal: refused by the policy.
        using var other = _service.Client(Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-wudian"));
        var refused = await other.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-wudian", "licence-decision", "MET-3"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusalCode = (await refused.Json(HttpStatusCode.Forbidden)).Str("code");

        // Exact: this process serves no one else.
        var after = await ScrapeAsync();
        Assert.Equal(2, Value(after, "sealservice_stamps_total", "stamped", "") - Value(before, "sealservice_stamps_total", "stamped", ""));
        Assert.Equal(1, Value(after, "sealservice_stamps_total", "refused", refusalCode) - Value(before, "sealservice_stamps_total", "refused", refusalCode));
        Assert.Equal(2, Count(after, "stamped") - Count(before, "stamped"));
        Assert.Equal(1, Count(after, "refused") - Count(before, "refused"));
        Assert.Matches(SizeLine(), after);

        // Both stamps are in the ledger; heads follow each entry, so soon none is unsigned and the latest head is young.
        Assert.True(Gauge(after, "sealservice_ledger_size") >= 2);
        var signed = after;
        for (var i = 0; i < 100 && (Gauge(signed, "sealservice_ledger_unsigned") != 0 || !signed.Contains("sealservice_ledger_head_age_seconds", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
            signed = await ScrapeAsync();
        }

        Assert.Equal(0, Gauge(signed, "sealservice_ledger_unsigned"));
        Assert.InRange(Gauge(signed, "sealservice_ledger_head_age_seconds"), 0, 3600);
    }

    /// <summary>A label-less gauge's value (Prometheus may add a unit suffix such as _ratio; NaN when absent).</summary>
    private static double Gauge(string scrape, string metric)
    {
        var line = Regex.Match(scrape, $@"(?m)^{metric}(_ratio)?(\{{[^}}]*\}})? (\S+)");
        return line.Success ? double.Parse(line.Groups[3].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    private async Task<string> ScrapeAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = _service!.Address };
        var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A counter's value for one outcome and code (0 when the series does not exist yet).</summary>
    private static double Value(string scrape, string metric, string outcome, string code)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal)
                && line.Contains($"code=\"{code}\"", StringComparison.Ordinal))
                return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    private static double Count(string scrape, string outcome)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith("sealservice_stamp_duration_seconds_count{", StringComparison.Ordinal) && line.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
                return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    [GeneratedRegex(@"(?m)^sealservice_ledger_size(_ratio)?(\{[^}]*\})? \d+")]
    private static partial Regex SizeLine();
}
