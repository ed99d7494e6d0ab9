using NSubstitute;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;

namespace SealService.Pdf.Tests.Verification;

/// <summary>ByteRange and /Contents checks that must fail before any CMS is looked at.</summary>
public sealed class PdfSignatureVerifierFramingTests
{
    [Fact]
    public async Task Unsigned_pdf_has_no_signatures()
    {
        var validator = Substitute.For<ICmsSignatureValidator>();
        var reports = await new PdfSignatureVerifier(validator).VerifyAsync(new MemoryStream(TestPdfs.Simple(new TestPdfs.Options { WithTextField = true })));
        Assert.Empty(reports);
    }

    [Fact]
    public async Task Placeholder_contents_is_reported_as_not_a_cms()
    {
        var signed = await SignWithPlaceholder(TestPdfs.Simple());
        var validator = Substitute.For<ICmsSignatureValidator>();

        var report = Assert.Single(await new PdfSignatureVerifier(validator).VerifyAsync(new MemoryStream(signed)));

        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.ContentsInvalid, report.ErrorCode);
        Assert.True(report.CoversWholeDocument);
        await validator.DidNotReceiveWithAnyArgs().ValidateAsync(default, null!, default, default);
    }

    [Fact]
    public async Task ByteRange_that_does_not_frame_contents_is_invalid()
    {
        var signed = await SignWithPlaceholder(TestPdfs.Simple());
        // Shift the first range end by one (same width): the gap no longer starts at '<'.
        var text = System.Text.Encoding.Latin1.GetString(signed);
        var at = text.IndexOf("/ByteRange [0 ", StringComparison.Ordinal) + "/ByteRange [0 ".Length;
        var end = text.IndexOf(' ', at);
        var a = long.Parse(text[at..end], System.Globalization.CultureInfo.InvariantCulture);
        var shifted = (a - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(end - at, '0');
        System.Text.Encoding.ASCII.GetBytes(shifted).CopyTo(signed, at);
        var validator = Substitute.For<ICmsSignatureValidator>();

        var report = Assert.Single(await new PdfSignatureVerifier(validator).VerifyAsync(new MemoryStream(signed)));

        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.ByteRangeInvalid, report.ErrorCode);
    }

    [Theory]
    [InlineData("D:20260315093000+08'00'", "2026-03-15T09:30:00+08:00")]
    [InlineData("D:20260315013000Z", "2026-03-15T01:30:00+00:00")]
    [InlineData("D:2026", "2026-01-01T00:00:00+00:00")]
    public void Parses_pdf_dates(string pdfDate, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), PdfSignatureVerifier.ParseDate(pdfDate));
    }

    [Fact]
    public void Signing_time_is_written_in_china_standard_time()
    {
        var utc = new DateTimeOffset(2026, 11, 29, 18, 5, 9, TimeSpan.Zero);
        Assert.Equal("D:20261130020509+08'00'", SignatureObjects.PdfDate(utc));
    }

    [Fact]
    public void Trims_zero_padding_after_der()
    {
        byte[] der = [0x30, 0x82, 0x00, 0x03, 1, 2, 3];
        Assert.Equal(der, PdfSignatureVerifier.TrimDer([.. der, 0, 0, 0, 0]));
        Assert.Null(PdfSignatureVerifier.TrimDer([0, 0, 0]));
        // BER, indefinite length, as other products write it: up to the end-of-contents octets.
        byte[] ber = [0x30, 0x80, 0x04, 0x02, 9, 9, 0x31, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(ber, PdfSignatureVerifier.TrimDer([.. ber, 0, 0, 0, 0]));
        Assert.Null(PdfSignatureVerifier.TrimDer([0x30, 0x80, 0x04, 0x02, 9]));
        Assert.Null(PdfSignatureVerifier.TrimDer([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 1]));
    }

    private static async Task<byte[]> SignWithPlaceholder(byte[] pdf)
    {
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf), output, new PlaceholderCreator(), new SignatureOptions());
        return output.ToArray();
    }
}
