using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using SealService.Api.Auth;
using SealService.Api.Grpc.V1;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests.Grpc;

/// <summary>Reflection, health, authentication and the stamp-check dry run over HTTP/2 on loopback.</summary>
public sealed class GrpcHostTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    private static CheckStampRequest ShatuDecides(string step = "decide") => new()
    {
        SealId = "seal-mudan-spj-shatu",
        MatterId = "mat-heze-mudan-001",
        Step = step,
        SubjectTownshipId = "twp-mudan-shatu",
    };

    [Fact]
    public async Task Reflection_lists_the_stamping_and_health_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("sealservice.v1.Stamping", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Reflection_describes_the_stamp_method()
    {
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "sealservice.v1.Stamping" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        var service = files.SelectMany(f => f.Service).Single(s => s.Name == "Stamping");
        Assert.Contains(service.Method, m => m.Name == "StampUpload" && m.ClientStreaming);
        Assert.Contains(service.Method, m => m.Name == "CheckStamp");
    }

    [Fact]
    public async Task Health_answers_serving_for_the_host_and_the_stamping_service()
    {
        var health = new Health.HealthClient(host.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
        // Development opens the ledger with the dev key.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Ledger" })).Status);
    }

    [Fact]
    public async Task No_token_is_unauthenticated_with_the_code()
    {
        await GrpcAssert.Fails(StatusCode.Unauthenticated, "UNAUTHENTICATED",
            async () => await host.Stamping.CheckStampAsync(ShatuDecides()));
    }

    [Fact]
    public async Task Without_a_public_base_url_links_name_the_address_the_host_listens_on()
    {
        // This host sets no SealService:PublicBaseUrl and listens on a free port: the links must name that port.
        var stamped = await host.Stamping.StampAsync(new StampRequest
        {
            SealId = "seal-mudan-spj-shatu",
            MatterId = "mat-heze-mudan-001",
            Step = "decide",
            CaseNumber = $"ADDR-{Guid.NewGuid():N}"[..20],
            SubjectTownshipId = "twp-mudan-shatu",
            TemplateId = "licence-decision",
            Fields = Google.Protobuf.JsonParser.Default.Parse<Google.Protobuf.WellKnownTypes.Struct>("""
                {"applicantName": "沙土镇鑫源农资经营部", "applicantId": "92371702MA3XXXXX0K", "submittedOn": "2026-11-20", "licenceContent": "准予许可。"}
                """),
            IdempotencyKey = $"addr-{Guid.NewGuid():N}",
        }, GrpcCallers.Clerk("twp-mudan-shatu"));
        var rest = host.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.StartsWith(rest + "/verify/", stamped.VerificationUrl, StringComparison.Ordinal);
        Assert.StartsWith(rest + "/api/v1/documents/", stamped.DownloadUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raw_status_text_is_percent_encoded_as_the_grpc_spec_says()
    {
        // What any client sees on the wire: printable ASCII as is (": " and spaces too), only '%' and non-ASCII escaped.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.GrpcAddress, "/sealservice.v1.Stamping/CheckStamp"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var all = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        Assert.True(all.ContainsKey("grpc-message"), $"{(int)response.StatusCode} {response.Version}: {string.Join("; ", all.Select(h => h.Key + "=" + h.Value))}");
        var message = all["grpc-message"];
        Assert.Equal("16", all["grpc-status"]);
        Assert.StartsWith("UNAUTHENTICATED: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("%3A", message, StringComparison.Ordinal);
        Assert.DoesNotContain("%20", message, StringComparison.Ordinal);
        Assert.All(message, c => Assert.InRange(c, ' ', '~'));

        Assert.Equal("a%25b%E7%AB%A0: ok", SealService.Api.Grpc.GrpcAuthorizationResultHandler.PercentEncode("a%b章: ok"));
    }

    [Fact]
    public async Task Expired_token_is_unauthenticated_with_token_expired()
    {
        var expired = Tokens.For(SealClaims.TownshipClerk, township: "twp-mudan-shatu", minutes: -10);
        await GrpcAssert.Fails(StatusCode.Unauthenticated, "TOKEN_EXPIRED",
            async () => await host.Stamping.CheckStampAsync(ShatuDecides(), GrpcCallers.Bearer(expired)));
    }

    [Fact]
    public async Task Garbage_token_is_unauthenticated_with_token_invalid()
    {
        await GrpcAssert.Fails(StatusCode.Unauthenticated, "TOKEN_INVALID",
            async () => await host.Stamping.CheckStampAsync(ShatuDecides(), GrpcCallers.Bearer("not-a-jwt")));
    }

    [Fact]
    public async Task Check_allows_shatu_deciding_under_entrusted_handling()
    {
        var answer = await host.Stamping.CheckStampAsync(ShatuDecides(), GrpcCallers.Clerk("twp-mudan-shatu"));
        Assert.True(answer.Allowed, answer.Message);
        Assert.Equal("", answer.Code);
        Assert.Equal("agr-mudan-spj-shatu", answer.Basis.AgreementId);
        Assert.Equal("entrusted-handling", answer.Basis.Mode);
        Assert.Equal("seal-mudan-spj-shatu", answer.Basis.SealId);
        Assert.True(answer.Basis.HasAgreementVersion);
    }

    [Fact]
    public async Task Check_refuses_wudian_deciding_with_step_not_allowed_and_answers_ok()
    {
        var request = ShatuDecides();
        request.SealId = "seal-mudan-spj-wudian";
        request.SubjectTownshipId = "twp-mudan-wudian";
        var answer = await host.Stamping.CheckStampAsync(request, GrpcCallers.Clerk("twp-mudan-wudian"));
        Assert.False(answer.Allowed);
        Assert.Equal("STEP_NOT_ALLOWED", answer.Code);
        Assert.Null(answer.Basis);

        request.Step = "accept";
        request.DocumentKind = "acceptance-receipt";
        Assert.True((await host.Stamping.CheckStampAsync(request, GrpcCallers.Clerk("twp-mudan-wudian"))).Allowed);
    }

    [Fact]
    public async Task Check_as_a_township_lets_an_auditor_see_what_a_clerk_would_get()
    {
        var request = ShatuDecides();
        request.AsTownshipId = "twp-mudan-wudian";
        var answer = await host.Stamping.CheckStampAsync(request, GrpcCallers.Auditor());
        Assert.Equal("SEAL_NOT_HELD_BY_CALLER", answer.Code);
    }

    [Fact]
    public async Task Clerk_checking_as_another_township_is_permission_denied()
    {
        var request = ShatuDecides();
        request.AsTownshipId = "twp-mudan-wudian";
        await GrpcAssert.Fails(StatusCode.PermissionDenied, "FORBIDDEN",
            async () => await host.Stamping.CheckStampAsync(request, GrpcCallers.Clerk("twp-mudan-shatu")));
    }

    [Fact]
    public async Task Malformed_check_is_invalid_argument_naming_the_fields()
    {
        var request = ShatuDecides(step: "approve");
        request.SealId = "";
        var (error, _) = await GrpcAssert.Fails(StatusCode.InvalidArgument, "VALIDATION_FAILED",
            async () => await host.Stamping.CheckStampAsync(request, GrpcCallers.Clerk("twp-mudan-shatu")));
        var bad = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.NotNull(bad);
        var fields = bad.FieldViolations.Select(f => f.Field).ToHashSet();
        Assert.Contains("step", fields);
        Assert.Contains("seal_id", fields);
    }

    [Fact]
    public async Task Rest_still_answers_on_its_own_endpoint()
    {
        var response = await host.CreateClient().GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(host.GrpcAddress.Port, host.ClientOptions.BaseAddress.Port);
    }
}
