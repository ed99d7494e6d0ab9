namespace SealService.Pdf.Verification;

/// <summary>Read-only view of the ByteRange segments of a seekable source, read in place.</summary>
internal sealed class ByteRangeStream : Stream
{
    private readonly Stream _source;
    private readonly (long Offset, long Length)[] _segments;
    private long _position;

    public ByteRangeStream(Stream source, (long Offset, long Length)[] segments)
    {
        _source = source;
        _segments = segments;
        Length = segments.Sum(s => s.Length);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var skip = _position;
        foreach (var (segOffset, segLength) in _segments)
        {
            if (skip >= segLength)
            {
                skip -= segLength;
                continue;
            }

            var n = (int)Math.Min(buffer.Length, segLength - skip);
            _source.Seek(segOffset + skip, SeekOrigin.Begin);
            var read = _source.Read(buffer[..n]);
            _position += read;
            return read;
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
