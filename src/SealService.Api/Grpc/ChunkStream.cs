using Grpc.Core;
using SealService.Api.Grpc.V1;
using SealService.Domain.Errors;

namespace SealService.Api.Grpc;

/// <summary>
/// The PDF of a StampUpload call as a forward-only stream: each read takes bytes from the current chunk message and
/// pulls the next message when it is used up. Nothing is buffered beyond one message.
/// </summary>
internal sealed class ChunkStream<T>(IAsyncStreamReader<T> messages, Func<T, ReadOnlyMemory<byte>?> chunkOf, int maxChunkBytes, CancellationToken callCancelled) : Stream
{
    private ReadOnlyMemory<byte> _current;
    private bool _ended;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            if (_ended)
                return 0;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancelled);
            if (!await messages.MoveNext(linked.Token))
            {
                _ended = true;
                return 0;
            }

            if (chunkOf(messages.Current) is not { } chunk)
                throw Invalid("only the first message may carry the request; the others carry PDF chunks");
            if (chunk.Length > maxChunkBytes)
                throw Invalid($"a chunk may hold at most {maxChunkBytes} bytes (got {chunk.Length})");
            _current = chunk;
        }

        var n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // gRPC message reads are asynchronous; a synchronous read would block a thread-pool thread on the network.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("ChunkStream is read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static DomainException Invalid(string message) =>
        new(ErrorCodes.ValidationFailed, $"输入无效 (validation failed): chunk", new Dictionary<string, string[]> { ["chunk"] = [message] });
}
