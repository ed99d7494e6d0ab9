using SealService.Domain.Stamping;

namespace SealService.Api.Endpoints;

/// <summary>
/// A multipart part as read: a body that breaks off or is malformed becomes 400 MULTIPART_INVALID where it is read (not
/// around whatever consumes it, which may fail for its own reasons); with a limit, more than <c>max</c> bytes is
/// VALIDATION_FAILED (the request part is small JSON).
/// </summary>
internal sealed class MultipartPartStream(Stream inner, long? max) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    /// <summary>Truncation or bad framing; an over-limit body (413) and an aborted client keep their own meaning.</summary>
    public static bool IsBrokenBody(Exception e) => e is IOException or InvalidDataException && e is not BadHttpRequestException;

    /// <summary>The next section; a broken body (boundaries, part headers) is the client's error (400), never a 500.</summary>
    public static async Task<Microsoft.AspNetCore.WebUtilities.MultipartSection?> NextSectionAsync(
        Microsoft.AspNetCore.WebUtilities.MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (IsBrokenBody(e))
        {
            throw Broken(e);
        }
    }

    /// <summary>422 UPLOAD_PARTS_INVALID: the parts are not the ones the endpoint takes.</summary>
    public static StampingException Parts(string message) =>
        new(StampingErrorCodes.UploadPartsInvalid, message, new Dictionary<string, string[]> { ["multipart"] = [message] });

    public static StampingException Broken(Exception e) =>
        new(StampingErrorCodes.MultipartInvalid,
            $"multipart/form-data 请求体不完整或格式错误 (the multipart body is malformed or truncated: {e.Message})");

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return Count(inner.Read(buffer, offset, count));
        }
        catch (Exception e) when (IsBrokenBody(e))
        {
            throw Broken(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (Exception e) when (IsBrokenBody(e))
        {
            throw Broken(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int n)
    {
        _read += n;
        return max is { } limit && _read > limit
            ? throw StampingEndpoints.Invalid("request", $"part 'request' is larger than {limit} bytes")
            : n;
    }
}
