using System.Buffers;
using SealService.Keys;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>Where the signature landed in the output.</summary>
public sealed record SignResult(string FieldName, int Page, PdfRect Rect, long[] ByteRange, int SignatureSize);

/// <summary>
/// Adds a visible PAdES signature to a PDF as an incremental update. The original bytes are copied
/// through unchanged (and hashed on the way), never loaded whole; only the objects the update rewrites
/// are read, with seeks.
/// </summary>
public static class PdfSigner
{
    private const int CopyBufferSize = 81920;

    public static async Task<SignResult> SignAsync(Stream input, Stream output, ICmsSignatureCreator signer,
        SignatureOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        if (input.CanSeek)
        {
            input.Seek(0, SeekOrigin.Begin);
            return await SignSeekableAsync(input, output, signer, options, cancellationToken).ConfigureAwait(false);
        }

        // The parser needs random access: spool a forward-only source to a temporary file.
        var path = Path.GetTempFileName();
        await using var spool = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None,
            CopyBufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await input.CopyToAsync(spool, CopyBufferSize, cancellationToken).ConfigureAwait(false);
        spool.Seek(0, SeekOrigin.Begin);
        return await SignSeekableAsync(spool, output, signer, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SignResult> SignSeekableAsync(Stream input, Stream output, ICmsSignatureCreator signer,
        SignatureOptions options, CancellationToken cancellationToken)
    {
        // Only a seal certificate signs as a seal: refuse TSA, ledger, CA or foreign keys before reading anything.
        if (!options.DocumentTimestamp)
        {
            SealService.Keys.Pki.SealCertificateProfile.Require(signer.SignerCertificate);
        }
        var reserved = ReservedSize(signer, options);
        var reader = PdfFileReader.Open(input);
        if (!options.InputChecked)
        {
            reader.CheckStrict();
        }

        var plan = SignaturePlan.Create(reader, options, reserved);
        var length = reader.Length;
        var lastByte = reader.ReadBytes(length - 1, 1)[0];
        var (update, placeholders) = plan.Update.Build(length, lastByte is (byte)'\n' or (byte)'\r');

        var contentsAt = placeholders[SignatureObjects.ContentsKey];
        var contentsLength = 2 + (2 * reserved);
        var a = length + contentsAt;
        var b = a + contentsLength;
        var c = length + update.Length - b;
        var byteRange = SignatureObjects.FormatByteRange(a, b, c);
        byteRange.CopyTo(update.AsSpan((int)placeholders[SignatureObjects.ByteRangeKey]));

        using var hasher = signer.CreateHasher();
        await CopyAndHashAsync(input, output, length, hasher, cancellationToken).ConfigureAwait(false);
        hasher.Append(update.AsSpan(0, (int)contentsAt));
        hasher.Append(update.AsSpan((int)contentsAt + contentsLength));
        var digest = hasher.Finish();

        var cms = await signer.CreateAsync(digest, options.Level, options.SignedAttributes, cancellationToken).ConfigureAwait(false);
        if (cms.Length > reserved)
        {
            throw new PdfSigningException(PdfSigningException.SignatureTooLarge,
                $"CMS of {cms.Length} bytes exceeds the reserved {reserved}");
        }

        WriteHex(cms, update.AsSpan((int)contentsAt + 1, 2 * cms.Length));
        await output.WriteAsync(update, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new SignResult(plan.FieldName, plan.PageNumber, plan.Rect, [0, a, b, c], cms.Length);
    }

    /// <summary>The signer's bound plus each extra attribute: its value, its OID and the SET/SEQUENCE headers around them.</summary>
    private static int ReservedSize(ICmsSignatureCreator signer, SignatureOptions options)
    {
        var size = signer.MaxSignatureSize;
        foreach (var a in options.SignedAttributes)
        {
            size += a.DerValue.Length + a.Oid.Length + 16;
        }

        return size;
    }

    private static async Task CopyAndHashAsync(Stream input, Stream output, long length, IContentHasher hasher, CancellationToken ct)
    {
        input.Seek(0, SeekOrigin.Begin);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new PdfFormatException(PdfFormatException.Invalid, "the PDF stream ended early");
                }

                hasher.Append(buffer.AsSpan(0, n));
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                remaining -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteHex(byte[] data, Span<byte> target)
    {
        const string digits = "0123456789ABCDEF";
        for (var i = 0; i < data.Length; i++)
        {
            target[2 * i] = (byte)digits[data[i] >> 4];
            target[(2 * i) + 1] = (byte)digits[data[i] & 0xF];
        }
    }
}
