using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Auth;
using SealService.Api.Errors;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;
using SealService.Domain.Errors;
using SealService.Domain.Policy;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;
using SealService.Ledger;
using ApiCodes = SealService.Api.Errors.ErrorCodes;
using DomainCodes = SealService.Domain.Errors.ErrorCodes;
using GetDocumentRecordRequest = SealService.Api.Grpc.V1.GetDocumentRecordRequest;

namespace SealService.Api.Tests.Errors;

/// <summary>
/// Every catalogued code, thrown where the application services throw, answered by the real host over REST and gRPC:
/// the status the catalogue gives, the code in the ProblemDetails body and in the gRPC trailer, ErrorInfo and detail
/// text, field errors in both, and a bug's message never shown.
/// </summary>
public sealed class ErrorWalkTests(ErrorWalkTests.Host host) : IClassFixture<ErrorWalkTests.Host>
{
    private const string Message = "说明 (the message the service gave)";

    public static TheoryData<string> Codes() => [.. ErrorCatalog.Entries.Select(e => e.Code)];

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task Rest_answers_the_catalogued_status_and_code(string code)
    {
        var entry = ErrorCatalog.Find(code);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(SealClaims.Auditor, "审计员"));

        var response = await client.GetAsync($"/api/v1/documents/{Throwing.IdFor(code)}/record");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(entry.HttpStatus == (int)response.StatusCode, $"{code}: expected {entry.HttpStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(entry.HttpStatus, problem.GetProperty("status").GetInt32());
        Assert.Equal(Shown(entry), problem.GetProperty("detail").GetString());
        if (Throwing.HasFieldErrors(entry))
            Assert.Equal("必填 (required)", problem.GetProperty("errors").GetProperty("sealId")[0].GetString());
        if (entry.Kind == ErrorKind.Refused)
            Assert.Equal(Throwing.SealUseId, problem.GetProperty("sealUseId").GetString());
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task Grpc_answers_the_catalogued_status_and_code(string code)
    {
        var entry = ErrorCatalog.Find(code);
        var stamping = new SealService.Api.Grpc.V1.Stamping.StampingClient(host.Channel);

        var (error, info) = await GrpcAssert.Fails(entry.GrpcStatus, code, async () =>
            await stamping.GetDocumentRecordAsync(new GetDocumentRecordRequest { DocumentId = Throwing.IdFor(code) }, GrpcCallers.Auditor()));

        Assert.Equal($"{code}: {Shown(entry)}", error.Status.Detail);
        if (Throwing.HasFieldErrors(entry))
        {
            var bad = error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>();
            Assert.Equal("seal_id", Assert.Single(bad!.FieldViolations).Field);
        }
        if (entry.Kind == ErrorKind.Refused)
            Assert.Equal(Throwing.SealUseId, info.Metadata["seal_use_id"]);
    }

    [Fact]
    public async Task An_over_long_request_target_is_414_with_a_code_and_beyond_the_ceiling_bare()
    {
        var limit = new Hosting.SealServiceOptions().MaxRequestTargetBytes;
        var client = host.CreateClient();

        var response = await client.GetAsync("/api/v1/seals?q=" + new string('a', limit));
        Assert.Equal(System.Net.HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal(ApiCodes.UriTooLong, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());

        var ceiling = await client.GetAsync("/api/v1/seals?q=" + new string('a', limit * Hosting.RequestLimits.CeilingFactor));
        Assert.Equal(System.Net.HttpStatusCode.RequestUriTooLong, ceiling.StatusCode);
        Assert.Empty(await ceiling.Content.ReadAsByteArrayAsync()); // Kestrel's own answer, as docs/api.md says
    }

    [Fact]
    public async Task Over_large_headers_are_431_over_rest_and_resource_exhausted_over_grpc()
    {
        var limit = new Hosting.SealServiceOptions().MaxRequestHeaderBytes;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Padding", new string('p', limit));

        var response = await client.GetAsync("/api/v1/seals");
        Assert.Equal(System.Net.HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ApiCodes.HeadersTooLarge, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());

        var stamping = new SealService.Api.Grpc.V1.Stamping.StampingClient(host.Channel);
        var options = GrpcCallers.Auditor();
        options.Headers!.Add("x-padding", new string('p', limit));
        await GrpcAssert.Fails(StatusCode.ResourceExhausted, ApiCodes.HeadersTooLarge, async () =>
            await stamping.GetDocumentRecordAsync(new GetDocumentRecordRequest { DocumentId = "doc-nope" }, options));
    }

    private static string Shown(ErrorEntry entry) => entry.Kind == ErrorKind.Internal ? "An unexpected error occurred." : Message;

    /// <summary>The real host, its stamping service wrapped so that a document id "err-code-name" throws CODE_NAME.</summary>
    public sealed class Host : GrpcHostFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                var real = services.Last(d => d.ServiceType == typeof(IStampingService));
                services.Remove(real);
                services.AddSingleton<IStampingService>(sp => new Throwing((IStampingService)real.ImplementationFactory!(sp)));
            });
        }
    }

    /// <summary>Throws the exception type the services throw for a code: LedgerException, StampingException, DomainException.</summary>
    private sealed class Throwing(IStampingService inner) : IStampingService
    {
        public const string SealUseId = "use-refused-1";
        private const string Prefix = "err-";

        public static string IdFor(string code) => Prefix + code.ToLowerInvariant().Replace('_', '-');

        public static bool HasFieldErrors(ErrorEntry entry) => entry.Code == DomainCodes.ValidationFailed;

        public Task<DocumentRecord> GetDocumentRecordAsync(Caller caller, string documentId, CancellationToken ct)
        {
            if (!documentId.StartsWith(Prefix, StringComparison.Ordinal))
                return inner.GetDocumentRecordAsync(caller, documentId, ct);
            var code = documentId[Prefix.Length..].ToUpperInvariant().Replace('-', '_');
            var entry = ErrorCatalog.Find(code);
            Assert.True(ErrorCatalog.Contains(code), code);
            if (LedgerCodes.Contains(code))
                throw new LedgerException(code, Message);
            if (HasFieldErrors(entry))
                throw new DomainException(code, Message, new Dictionary<string, string[]> { ["sealId"] = ["必填 (required)"] });
            if (entry.Kind == ErrorKind.Refused)
                throw new StampingException(code, Message, null, SealUseId);
            throw new DomainException(code, Message);
        }

        private static readonly HashSet<string> LedgerCodes = [.. typeof(LedgerErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

        public Task<StampResult> StampAsync(Caller caller, StampCommand command, Stream? pdf, string idempotencyKey, CancellationToken ct) =>
            inner.StampAsync(caller, command, pdf, idempotencyKey, ct);

        public Task<IStagedPdf> StageUploadAsync(StampCommand command, string idempotencyKey, Stream pdf, CancellationToken ct) =>
            inner.StageUploadAsync(command, idempotencyKey, pdf, ct);

        public Task<StampResult> StampUploadAsync(Caller caller, StampCommand command, IStagedPdf upload, string idempotencyKey, CancellationToken ct) =>
            inner.StampUploadAsync(caller, command, upload, idempotencyKey, ct);

        public Task<DocumentContent> OpenDocumentAsync(Caller caller, string documentId, CancellationToken ct) =>
            inner.OpenDocumentAsync(caller, documentId, ct);

        public Task<Page<SealUseRecord>> QuerySealUsesAsync(Caller caller, SealUseFilter filter, PageRequest page, CancellationToken ct) =>
            inner.QuerySealUsesAsync(caller, filter, page, ct);
    }
}
