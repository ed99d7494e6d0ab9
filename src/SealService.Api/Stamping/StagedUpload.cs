using System.Security.Cryptography;
using SealService.Domain.Stamping;
using SealService.Pdf.Parsing;

namespace SealService.Api.Stamping;

/// <summary>An upload spooled to a delete-on-close file while hashing, then parsed (structure and page tree).</summary>
internal sealed class StagedUpload : IStagedPdf
{
    private readonly FileStream _spool;

    private StagedUpload(FileStream spool, string sha256, int pageCount)
    {
        _spool = spool;
        Sha256 = sha256;
        PageCount = pageCount;
    }

    public string Sha256 { get; }

    public long Length => _spool.Length;

    public int PageCount { get; }

    public static async Task<StagedUpload> CreateAsync(DocumentFiles files, Stream source, long maxBytes, CancellationToken ct)
    {
        var spool = files.CreateSpool();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                long total = 0;
                int read;
                while ((read = await ReadAsync(source, buffer, ct)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await spool.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            await spool.FlushAsync(ct);
            spool.Position = 0;
            int pages;
            try
            {
                var reader = PdfFileReader.Open(spool);
                reader.CheckStrict();
                pages = PdfPageTree.Pages(reader).Count;
            }
            catch (PdfFormatException e)
            {
                throw new StampingException(StampingErrorCodes.PdfInvalid,
                    $"PDF 无法使用 (unusable PDF: {e.Code}: {e.Message})");
            }

            if (pages < 1)
            {
                throw new StampingException(StampingErrorCodes.PdfInvalid, "PDF 没有页面 (the PDF has no pages)");
            }

            return new StagedUpload(spool, Convert.ToHexStringLower(hash.GetHashAndReset()), pages);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    public Stream OpenRead()
    {
        _spool.Position = 0;
        return new NonClosingStream(_spool);
    }

    public ValueTask DisposeAsync() => _spool.DisposeAsync();

    private static async Task<int> ReadAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await source.ReadAsync(buffer, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null);
        }
    }

    private static StampingException TooLarge(long? maxBytes) =>
        new(StampingErrorCodes.PdfTooLarge,
            maxBytes is { } m ? $"PDF 超过 {m} 字节 (the PDF is larger than {m} bytes)" : "PDF 过大 (the PDF is too large)");

    /// <summary>Lets the signer dispose its view without closing the spool (which would delete it).</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
