using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using SealService.Api.Grpc.V1;
using SealService.LoadGen;

namespace SealService.Api.Tests.Grpc;

/// <summary>
/// Uploads larger than Kestrel's 1 MiB JSON body limit through gRPC, up to the upload limit (12 MiB here): a 10 MB
/// unary Stamp and a 3 MB streamed StampUpload are signed; past the limit the answer is RESOURCE_EXHAUSTED with
/// PDF_TOO_LARGE, not a bare UNKNOWN.
/// </summary>
public sealed class GrpcLargeUploadTests(LargeUploadGrpcHost host) : IClassFixture<LargeUploadGrpcHost>, IDisposable
{
    private const string Shatu = "twp-mudan-shatu";

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(host.GrpcAddress, new GrpcChannelOptions
    {
        MaxSendMessageSize = 32 << 20,
        MaxReceiveMessageSize = 32 << 20,
    });

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task A_10_mb_pdf_in_one_unary_stamp_is_signed()
    {
        var pdf = SamplePdf.Create(10 * 1000 * 1000);
        var request = Upload();
        request.Pdf = ByteString.CopyFrom(pdf);

        var stamped = await new SealService.Api.Grpc.V1.Stamping.StampingClient(_channel).StampAsync(request, GrpcCallers.Clerk(Shatu));
        Assert.False(string.IsNullOrEmpty(stamped.DocumentId));
        Assert.True(stamped.SizeBytes > pdf.Length, $"{stamped.SizeBytes} ≤ {pdf.Length}");
    }

    [Fact]
    public async Task A_unary_stamp_over_the_upload_limit_is_resource_exhausted_pdf_too_large()
    {
        var request = Upload();
        request.Pdf = ByteString.CopyFrom(SamplePdf.Create(LargeUploadGrpcHost.UploadLimit + 1024));

        await GrpcAssert.Fails(StatusCode.ResourceExhausted, "PDF_TOO_LARGE",
            async () => await new SealService.Api.Grpc.V1.Stamping.StampingClient(_channel).StampAsync(request, GrpcCallers.Clerk(Shatu)));
    }

    [Fact]
    public async Task A_3_mb_streamed_upload_is_signed()
    {
        var pdf = SamplePdf.Create(3 * 1000 * 1000);
        using var call = new SealService.Api.Grpc.V1.Stamping.StampingClient(_channel).StampUpload(GrpcCallers.Clerk(Shatu));
        await call.RequestStream.WriteAsync(new StampUploadRequest { Request = Upload() });
        for (var offset = 0; offset < pdf.Length; offset += 256 * 1024)
            await call.RequestStream.WriteAsync(new StampUploadRequest { Chunk = ByteString.CopyFrom(pdf, offset, Math.Min(256 * 1024, pdf.Length - offset)) });
        await call.RequestStream.CompleteAsync();

        var stamped = await call;
        Assert.True(stamped.SizeBytes > pdf.Length);
    }

    private static StampRequest Upload() => new()
    {
        SealId = "seal-mudan-spj-shatu",
        MatterId = "mat-heze-mudan-001",
        Step = "decide",
        CaseNumber = $"GRPC-BIG-{Guid.NewGuid():N}"[..24],
        SubjectTownshipId = Shatu,
        DocumentKind = "decision",
        Placement = new Placement { Page = 1, X = 400, Y = 60, Width = 120, Height = 120 },
        IdempotencyKey = $"grpc-big-{Guid.NewGuid():N}",
    };
}

/// <summary>The gRPC host with a 12 MiB upload limit (Kestrel's JSON body limit stays 1 MiB).</summary>
public sealed class LargeUploadGrpcHost() : GrpcHostFactory(new Dictionary<string, string?>
{
    ["SealService:Stamping:MaxUploadBytes"] = UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    public const int UploadLimit = 12 << 20;
}
