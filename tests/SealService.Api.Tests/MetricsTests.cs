using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests;

/// <summary>/metrics (Prometheus text, no token): the stamp counters move with stamps and refusals, and the latency histogram counts them.</summary>
public sealed partial class MetricsTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    [Fact]
    public async Task Stamp_counters_and_latency_move_with_stamps_and_refusals()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var before = await ScrapeAsync();
        Assert.Matches(SizeLine(), before); // the gauges are there before the first stamp

        await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "MET-1"))).Json(HttpStatusCode.Created);
        await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "MET-2"))).Json(HttpStatusCode.Created);
        // Township Y holds no delegation for this seal: refused by the policy.
        var refused = await factory.Clerk(sc.TownY).StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownY, "licence-decision", "MET-3"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusalCode = (await refused.Json(HttpStatusCode.Forbidden)).Str("code");

        // At least: hosts of other test classes run in this process at the same time, and a meter is known by its name.
        var after = await ScrapeAsync();
        Assert.InRange(Value(after, "sealservice_stamps_total", "stamped", "") - Value(before, "sealservice_stamps_total", "stamped", ""), 2, double.MaxValue);
        Assert.InRange(Value(after, "sealservice_stamps_total", "refused", refusalCode) - Value(before, "sealservice_stamps_total", "refused", refusalCode), 1, double.MaxValue);
        Assert.InRange(Count(after, "stamped") - Count(before, "stamped"), 2, double.MaxValue);
        Assert.Matches(SizeLine(), after);
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await factory.CreateClient().GetAsync("/metrics");
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
