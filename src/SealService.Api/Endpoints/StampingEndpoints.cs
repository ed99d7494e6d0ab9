using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SealService.Api.Auth;
using SealService.Api.Endpoints.Contracts;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Domain.Stamping;

namespace SealService.Api.Endpoints;

public static class StampingEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxRequestPartBytes = 256 * 1024;
    private const long MultipartOverhead = 1024 * 1024;

    /// <summary>
    /// POST /stampings: JSON body (template) or multipart/form-data with part <c>request</c> (the same JSON) followed by part
    /// <c>file</c> (the PDF, streamed to a spool file). Header Idempotency-Key is required.
    /// </summary>
    public static RouteGroupBuilder MapStampingEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/stampings", async (HttpContext http, IStampingService stamping, StampingOptions limits,
            IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            var key = http.Request.Headers[IdempotencyHeader].ToString();
            var caller = http.DomainCaller();
            StampResult result;
            if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                result = await StampMultipartAsync(http, type, stamping, limits, json.Value.SerializerOptions, caller, key, ct);
            }
            else if (http.Request.HasJsonContentType())
            {
                var body = await ReadJsonAsync(http.Request.Body, json.Value.SerializerOptions, ct);
                result = await stamping.StampAsync(caller, body.ToCommand(), null, key, ct);
            }
            else
            {
                throw new BadHttpRequestException("Use application/json (template) or multipart/form-data (request + file).", StatusCodes.Status415UnsupportedMediaType);
            }

            var view = StampView.From(result);
            return result.Replayed
                ? Results.Ok(view)
                : Results.Created($"/api/v1/documents/{result.DocumentId}/record", view);
        }).WithTags("stampings").WithSummary("Stamp a document: policy, number, render or upload, sign, record")
          .Accepts<StampBody>("application/json", "multipart/form-data")
          .Produces<StampView>(StatusCodes.Status201Created).Produces<StampView>(StatusCodes.Status200OK)
          .WithRequiredHeader(IdempotencyHeader, "1..128 printable ASCII; the same key with the same request answers the original result (200)", 128)
          .WithMultipart<RouteHandlerBuilder, StampBody>("request", "file", "part `request` (the JSON body) first, then part `file` (the PDF to stamp)")
          .ProducesErrorsOf(typeof(StampingErrorCodes), typeof(Domain.Policy.RefusalCodes), typeof(Pdf.Rendering.RenderErrorCodes), typeof(Pdf.Signing.PdfSigningException))
          .DisableAntiforgery();
        return api;
    }

    private static async Task<StampResult> StampMultipartAsync(HttpContext http, MediaTypeHeaderValue type, IStampingService stamping,
        StampingOptions limits, JsonSerializerOptions json, Domain.Policy.Caller caller, string key, CancellationToken ct)
    {
        var ceiling = limits.MaxUploadBytes + MultipartOverhead;
        if (http.Request.ContentLength > ceiling)
            throw new StampingException(StampingErrorCodes.PdfTooLarge, $"PDF 超过 {limits.MaxUploadBytes} 字节 (the PDF is larger than {limits.MaxUploadBytes} bytes)");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = ceiling;

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
            throw Invalid("request", "multipart boundary missing or too long");
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = ceiling };
        StampCommand? command = null;
        IStagedPdf? upload = null;
        try
        {
            while (await MultipartPartStream.NextSectionAsync(reader, ct) is { } section)
            {
                var name = section.GetContentDispositionHeader()?.Name.Value?.Trim('"');
                switch (name)
                {
                    case "request" when command is null && upload is null:
                        await using (var part = new MultipartPartStream(section.Body, MaxRequestPartBytes))
                            command = (await ReadJsonAsync(part, json, ct)).ToCommand();
                        break;
                    case "file" when command is not null && upload is null:
                        // Spooled forward-only (never buffered in memory); nothing is decided or numbered until the body ends.
                        await using (var part = new MultipartPartStream(section.Body, max: null))
                            upload = await stamping.StageUploadAsync(command, key, part, ct);
                        break;
                    case "file" when upload is not null:
                        throw MultipartPartStream.Parts("exactly one part 'file' is allowed");
                    case "file":
                        throw MultipartPartStream.Parts("part 'request' must come before part 'file'");
                    case "request":
                        throw MultipartPartStream.Parts("exactly one part 'request' is allowed");
                    default:
                        throw MultipartPartStream.Parts("unexpected multipart part (expected 'request', then 'file')");
                }
            }

            return command is null ? throw MultipartPartStream.Parts("part 'request' is missing")
                : upload is null ? await stamping.StampAsync(caller, command, null, key, ct)
                : await stamping.StampUploadAsync(caller, command, upload, key, ct);
        }
        finally
        {
            if (upload is not null)
                await upload.DisposeAsync();
        }
    }

    private static async Task<StampBody> ReadJsonAsync(Stream body, JsonSerializerOptions options, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<StampBody>(body, options, ct)
                ?? throw new BadHttpRequestException("A JSON request body is required.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("invalid JSON", StatusCodes.Status400BadRequest, e);
        }
    }

    internal static StampingException Invalid(string field, string message) =>
        new(StampingErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });
}
