using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SealService.Api.Grpc.V1;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests.Grpc;

/// <summary>The mode × kind × step matrix over gRPC: the same decisions as REST (template and upload paths).</summary>
public sealed class GrpcDelegationScopeTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    public static TheoryData<string> Modes() => new(DemoMode.All.Select(m => m.Mode));

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_template_and_upload_kind_at_every_step_is_decided_by_mode_kind_and_step(string mode)
    {
        var m = DemoMode.All.Single(x => x.Mode == mode);
        var clerk = GrpcCallers.Clerk(m.TownshipId);
        var pdf = ByteString.CopyFrom(TestPdfs.Plain());
        var allowed = 0;
        foreach (var step in DelegationOracle.Steps)
        {
            var cases = DelegationOracle.TemplateKinds.Select(t => (Template: (string?)t.Key, Kind: t.Value))
                .Concat(DelegationOracle.Kinds.Select(k => (Template: (string?)null, Kind: k)));
            foreach (var (template, kind) in cases)
            {
                var request = new StampRequest
                {
                    SealId = m.SealId,
                    MatterId = m.MatterId,
                    Step = step,
                    CaseNumber = $"G-{mode}-{template ?? kind}-{step}"[..Math.Min(60, $"G-{mode}-{template ?? kind}-{step}".Length)],
                    SubjectTownshipId = m.TownshipId,
                    IdempotencyKey = Guid.NewGuid().ToString("N"),
                };
                if (template is not null)
                {
                    request.TemplateId = template;
                    request.Fields = JsonParser.Default.Parse<Struct>(System.Text.Json.JsonSerializer.Serialize(TestPdfs.SampleFields(template)));
                }
                else
                {
                    request.DocumentKind = kind;
                    request.Pdf = pdf;
                }

                var expected = DelegationOracle.Expected(mode, m.AgreementSteps, kind, step);
                var what = $"{mode} {template ?? "upload " + kind} {step}";
                if (expected is null)
                {
                    var response = await host.Stamping.StampAsync(request, clerk);
                    Assert.False(string.IsNullOrEmpty(response.DocumentNumber), what);
                    allowed++;
                }
                else
                {
                    var e = await Assert.ThrowsAsync<RpcException>(async () => await host.Stamping.StampAsync(request, clerk));
                    Assert.True(e.StatusCode == StatusCode.PermissionDenied && e.Trailers.GetValue("sealservice-code") == expected,
                        $"{what}: expected {expected}, got {e.StatusCode} {e.Status.Detail}");
                }
            }
        }

        Assert.True(allowed > 0);
    }
}
