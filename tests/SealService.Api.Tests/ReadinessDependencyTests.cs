using System.Net;
using System.Net.Http.Headers;
using Grpc.Health.V1;
using SealService.Api.Auth;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;
using SealService.Keys.Pki;
using SealService.Keys.Store;
using static SealService.Api.Tests.HealthTests;
using static SealService.Api.Tests.Infrastructure.StampingClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SealService.Api.Tests;

/// <summary>The host at PAdES B-T against an external TSA on loopback, probed on every readiness call.</summary>
public sealed class ExternalTsaHost : GrpcHostFactory
{
    public ExternalTsaHost()
        : this(new SwitchableTsa())
    {
    }

    private ExternalTsaHost(SwitchableTsa tsa)
        : base(new Dictionary<string, string?>
        {
            ["SealService:Stamping:PadesLevel"] = "B-T",
            ["Keys:Tsa:Url"] = tsa.Url,
            ["SealService:Health:TsaProbeInterval"] = "00:00:00",
        }) => Tsa = tsa;

    public SwitchableTsa Tsa { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Tsa.Dispose();
    }
}

/// <summary>
/// Readiness follows the TSA at B-T: ready while it issues tokens, not ready (503, gRPC NOT_SERVING) while it does not —
/// stamps are refused then, fail closed — and ready again when it is back.
/// </summary>
public sealed class TsaReadinessTests(ExternalTsaHost host) : IClassFixture<ExternalTsaHost>
{
    [Fact]
    public async Task Ready_follows_the_external_tsa()
    {
        var client = host.CreateClient();
        var health = new Health.HealthClient(host.Channel);
        var ready = await Ready(client, HttpStatusCode.OK);
        var tsa = Check(ready, "tsa");
        Assert.Equal("healthy", tsa.Str("status"));
        Assert.Equal("127.0.0.1", tsa.GetProperty("data").Str("tsa"));
        var asked = host.Tsa.Requests;

        using var clerk = host.CreateClient();
        clerk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        await (await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "TSA-UP"))).Json(HttpStatusCode.Created);

        host.Tsa.Up = false;
        var down = await Ready(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", Check(down, "tsa").Str("status"));
        Assert.Contains("TSA_UNAVAILABLE", Check(down, "tsa").Str("description"));
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
        Assert.True(host.Tsa.Requests > asked, "each readiness call probes the TSA (interval 0)");
        var refused = await clerk.StampJson(Template("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "TSA-DOWN"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        host.Tsa.Up = true;
        Assert.Equal("healthy", Check(await Ready(client, HttpStatusCode.OK), "tsa").Str("status"));
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
    }
}

/// <summary>
/// A seal certificate that ends within 30 days makes readiness degraded (still 200 and SERVING: the node stamps, the
/// operator must renew). The host's clock is moved to 29 days before the dev seal certificate's end.
/// </summary>
public sealed class CertificateExpiryTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    private const string Seal = "seal-mudan-spj-shatu";

    [Fact]
    public async Task A_seal_certificate_ending_within_30_days_makes_readiness_degraded()
    {
        using var clerk = host.CreateClient();
        clerk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(SealClaims.TownshipClerk, "窗口人员", township: "twp-mudan-shatu"));
        await (await clerk.StampJson(Template(Seal, "mat-heze-mudan-001", "decide", "twp-mudan-shatu", "licence-decision", "CERT-1"))).Json(HttpStatusCode.Created); // issues the dev seal's key

        var client = host.CreateClient();
        var fine = Check(await Ready(client, HttpStatusCode.OK), "certificates");
        Assert.Equal("healthy", fine.Str("status"));
        Assert.True(fine.GetProperty("data").GetProperty("certificates").GetInt32() >= 1, fine.GetRawText());

        var certificate = Pkcs12Files.Load(Path.Combine(host.DataDirectory, "dev-keys", "seals", Seal + ".p12"), DevPki.DefaultPassphrase).Certificate;
        var end = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc));
        host.Clock.Advance(end - TimeSpan.FromDays(29) - host.Clock.GetUtcNow());

        var ready = await Ready(client, HttpStatusCode.OK);
        Assert.Equal("degraded", ready.Str("status"));
        var expiring = Check(ready, "certificates");
        Assert.Equal("degraded", expiring.Str("status"));
        Assert.Contains($"{Seal} ({end:yyyy-MM-dd})", expiring.GetProperty("data").GetProperty("expiring").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(ServingStatus.Serving, (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }
}
