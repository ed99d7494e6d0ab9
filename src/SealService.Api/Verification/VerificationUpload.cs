using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SealService.Api.Endpoints;
using SealService.Domain.Stamping;

namespace SealService.Api.Verification;

/// <summary>
/// Reads a multipart/form-data body with one part <c>file</c> (and, from the page's form, an optional small part
/// <c>documentId</c>) into a temporary file deleted on close; the size limit holds while the bytes arrive.
/// </summary>
internal static class VerificationUpload
{
    private const int Overhead = 64 * 1024;
    private const int MaxFieldBytes = 256;

    public sealed record Upload(FileStream File, string? DocumentId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => File.DisposeAsync();
    }

    public static async Task<Upload> ReadAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new BadHttpRequestException("Use multipart/form-data with a part 'file'.", StatusCodes.Status415UnsupportedMediaType);
        var ceiling = maxBytes + Overhead;
        if (http.Request.ContentLength > ceiling)
            throw TooLarge(maxBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = ceiling;
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
            throw MultipartPartStream.Parts("multipart boundary missing or too long");

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = ceiling };
        FileStream? file = null;
        string? documentId = null;
        try
        {
            while (await MultipartPartStream.NextSectionAsync(reader, ct) is { } section)
            {
                var name = section.GetContentDispositionHeader()?.Name.Value?.Trim('"');
                if (name == "file" && file is null)
                {
                    file = CreateTempFile();
                    await using var part = new MultipartPartStream(section.Body, max: null);
                    await CopyLimitedAsync(part, file, maxBytes, ct);
                }
                else if (name == "documentId" && documentId is null)
                {
                    await using var part = new MultipartPartStream(section.Body, MaxFieldBytes);
                    using var text = new StreamReader(part);
                    documentId = (await text.ReadToEndAsync(ct)).Trim();
                    documentId = documentId.Length == 0 ? null : documentId;
                }
                else
                {
                    throw MultipartPartStream.Parts(name == "file" ? "exactly one part 'file' is allowed" : "unexpected multipart part (expected 'file')");
                }
            }

            if (file is null)
                throw MultipartPartStream.Parts("part 'file' is missing");
            file.Position = 0;
            return new Upload(file, documentId);
        }
        catch
        {
            if (file is not null)
                await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>A temporary file for one verification, deleted when closed.</summary>
    public static FileStream CreateTempFile() =>
        new(Path.Combine(Path.GetTempPath(), "sealservice-verify-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>Copies until the end, refusing with 413 PDF_TOO_LARGE as soon as more than <paramref name="max"/> bytes arrive.</summary>
    public static async Task CopyLimitedAsync(Stream from, Stream to, long max, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await from.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > max)
                throw TooLarge(max);
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    private static StampingException TooLarge(long max) =>
        new(StampingErrorCodes.PdfTooLarge, $"文件超过 {max} 字节 (the file is larger than {max} bytes)");
}
