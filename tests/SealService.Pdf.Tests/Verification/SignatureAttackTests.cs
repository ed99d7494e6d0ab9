using System.Globalization;
using System.Text;
using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Parsing;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Verification;

namespace SealService.Pdf.Tests.Verification;

/// <summary>
/// Files built from our own signed documents, each with the verdict a careful verifier must reach: the published
/// attacks on PDF signatures (wrapping, shadow updates, laundering by a later signature) and harmless updates.
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class SignatureAttackTests(SigningFixture pki)
{
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 29, 10, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Our_signature_covers_the_entire_file_and_its_revision()
    {
        var signed = await Sign(TestPdfs.Simple());
        var report = Assert.Single(await Verify(signed));
        Assert.True(report.Valid, report.Message);
        Assert.Equal(SignatureCoverage.EntireFile, report.Coverage);
        Assert.Equal(1, report.SignedRevision);
        Assert.Empty(report.Modifications);
    }

    [Fact]
    public async Task Page_content_changed_in_an_update_is_altered_after_signing()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (_, contents, _) = IncrementalEdit.FirstPage(signed);
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [contents] = IncrementalEdit.Stream("BT /F1 24 Tf 72 700 Td (Forged) Tj ET"),
        });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 2, contents);
        Assert.Equal(SignatureCoverage.EntireRevision, report.Coverage);
    }

    [Fact]
    public async Task Bytes_appended_without_an_xref_section_are_not_covered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var appended = signed.Concat(Encoding.ASCII.GetBytes("99 0 obj\n(not part of any revision)\nendobj\n")).ToArray();

        var report = Assert.Single(await Verify(appended));
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.AlteredAfterSigning, report.ErrorCode);
        Assert.Contains("belong to no revision", report.Message);
    }

    [Fact]
    public async Task An_annotation_added_after_signing_is_altered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (page, _, _) = IncrementalEdit.FirstPage(signed);
        var annot = PdfFileReader.Open(new MemoryStream(signed)).Size;
        var pageSource = WithAnnots(IncrementalEdit.Source(signed, page), $"{annot} 0 R");
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [annot] = "<< /Type /Annot /Subtype /FreeText /Rect [50 600 550 760] /Contents (不予行政许可) /DA (/Helv 40 Tf 1 0 0 rg) >>",
            [page] = pageSource,
        });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 2, page);
        Assert.Contains("not a signature", report.Message);
    }

    [Fact]
    public async Task A_page_added_after_signing_is_altered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (page, _, pages) = IncrementalEdit.FirstPage(signed);
        var added = PdfFileReader.Open(new MemoryStream(signed)).Size;
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [added] = $"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] >>",
            [pages] = $"<< /Type /Pages /Kids [{page} 0 R {added} 0 R] /Count 2 >>",
        });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 2, pages);
    }

    [Fact]
    public async Task Root_repointed_to_a_catalog_prepared_elsewhere_is_altered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (_, _, pages) = IncrementalEdit.FirstPage(signed);
        var catalog = PdfFileReader.Open(new MemoryStream(signed)).Size;
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [catalog] = $"<< /Type /Catalog /Pages {pages} 0 R >>",
        }, rootOverride: $"{catalog} 0 R");

        var report = Assert.Single(await Verify(forged));
        Assert.Equal(SignatureErrorCodes.AlteredAfterSigning, report.ErrorCode);
        Assert.Contains("/Root re-pointed", report.Message);
    }

    [Fact]
    public async Task The_signature_dictionary_changed_in_a_later_revision_is_refused()
    {
        var signed = await Sign(TestPdfs.Simple());
        var sig = SignatureDictionary(signed);
        var source = IncrementalEdit.Source(signed, sig).Replace("/Reason (", "/Reason (forged ", StringComparison.Ordinal);
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string> { [sig] = source });

        var report = Assert.Single(await Verify(forged));
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.ByteRangeInvalid, report.ErrorCode);
        Assert.Contains("signature dictionary", report.Message);
    }

    [Fact]
    public async Task A_change_then_a_second_genuine_signature_leaves_the_first_altered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (_, contents, _) = IncrementalEdit.FirstPage(signed);
        var changed = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [contents] = IncrementalEdit.Stream("BT /F1 24 Tf 72 700 Td (Forged) Tj ET"),
        });
        var laundered = await Sign(changed);

        var reports = await Verify(laundered);
        Assert.Equal(2, reports.Count);
        AssertAltered(reports[0], revision: 2, contents);
        Assert.True(reports[1].Valid, reports[1].Message);
        Assert.Equal(SignatureCoverage.EntireFile, reports[1].Coverage);
    }

    [Fact]
    public async Task A_dss_only_update_is_allowed()
    {
        var signed = await Sign(TestPdfs.Simple());
        var reader = PdfFileReader.Open(new MemoryStream(signed));
        var root = ((PdfReference)reader.Trailer["Root"]!).Id.Number;
        var dss = reader.Size;
        var cert = dss + 1;
        var der = Convert.ToHexString(pki.Pki.RootCertificate.GetEncoded());
        var catalog = IncrementalEdit.Source(signed, root);
        catalog = catalog[..catalog.LastIndexOf(">>", StringComparison.Ordinal)] + $" /DSS {dss} 0 R >>";
        var extended = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [dss] = $"<< /Type /DSS /Certs [{cert} 0 R] >>",
            [cert] = $"<< /Length {der.Length + 1} /Filter /ASCIIHexDecode >>\nstream\n{der}>\nendstream",
            [root] = catalog,
        });

        var report = Assert.Single(await Verify(extended));
        Assert.True(report.Valid, report.Message);
        Assert.Equal(SignatureCoverage.EntireRevision, report.Coverage);
        Assert.Empty(report.Modifications);
    }

    [Fact]
    public async Task A_catalog_change_beyond_signature_entries_is_altered()
    {
        var signed = await Sign(TestPdfs.Simple());
        var root = ((PdfReference)PdfFileReader.Open(new MemoryStream(signed)).Trailer["Root"]!).Id.Number;
        var catalog = IncrementalEdit.Source(signed, root);
        catalog = catalog[..catalog.LastIndexOf(">>", StringComparison.Ordinal)] + " /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>";
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string> { [root] = catalog });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 2, root);
        Assert.Contains("/OpenAction", report.Message);
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775000")]
    public async Task Huge_byte_range_numbers_are_refused_without_overflow(string huge)
    {
        var signed = await Sign(TestPdfs.Simple());
        var forged = ReplaceByteRange(signed, r => $"0 {r[1]} {r[2]} {huge}");
        var report = Assert.Single(await Verify(forged));
        Assert.Equal(SignatureErrorCodes.ByteRangeInvalid, report.ErrorCode);
    }

    [Fact]
    public async Task A_gap_padded_with_other_bytes_after_the_cms_is_refused()
    {
        var signed = await Sign(TestPdfs.Simple());
        var text = Encoding.Latin1.GetString(signed);
        var range = ByteRange(signed);
        var close = (int)range[2] - 1;
        Assert.Equal('>', text[close]);
        Encoding.ASCII.GetBytes("41").CopyTo(signed, close - 2);

        var report = Assert.Single(await Verify(signed));
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.ContentsInvalid, report.ErrorCode);
    }

    [Fact]
    public async Task A_truncated_file_is_not_valid()
    {
        var signed = await Sign(TestPdfs.Simple());
        var truncated = signed.AsSpan(0, signed.Length - 200).ToArray();
        try
        {
            var reports = await Verify(truncated);
            Assert.All(reports, r => Assert.False(r.Valid));
        }
        catch (PdfFormatException)
        {
            // Refusing to read the file at all is as good: it is never called valid.
        }
    }

    private static void AssertAltered(PdfSignatureReport report, int revision, int objectNumber)
    {
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.AlteredAfterSigning, report.ErrorCode);
        Assert.Contains(report.Modifications, m => m.Revision == revision && m.ObjectNumber == objectNumber);
    }

    private static int SignatureDictionary(byte[] pdf)
    {
        var reader = PdfFileReader.Open(new MemoryStream(pdf));
        var form = reader.ResolveDictionary(reader.ResolveDictionary(reader.Trailer["Root"])!["AcroForm"])!;
        var fields = (PdfArray)reader.Resolve(form["Fields"])!;
        var field = reader.ResolveDictionary(fields.Items[^1])!;
        return ((PdfReference)field["V"]!).Id.Number;
    }

    private static long[] ByteRange(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var open = text.IndexOf('[', at) + 1;
        var close = text.IndexOf(']', open);
        return text[open..close].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    }

    private static byte[] ReplaceByteRange(byte[] pdf, Func<long[], string> make)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var open = text.IndexOf('[', at) + 1;
        var close = text.IndexOf(']', open);
        var replacement = make(ByteRange(pdf));
        Assert.True(replacement.Length <= close - open, "the forged ByteRange must fit the reserved space");
        return Encoding.Latin1.GetBytes(text[..open] + replacement.PadRight(close - open) + text[close..]);
    }

    private static string WithAnnots(string pageSource, string annot)
    {
        var at = pageSource.IndexOf("/Annots", StringComparison.Ordinal);
        if (at >= 0)
        {
            var close = pageSource.IndexOf(']', at);
            return pageSource[..close] + " " + annot + pageSource[close..];
        }

        return pageSource[..pageSource.LastIndexOf(">>", StringComparison.Ordinal)] + $" /Annots [{annot}] >>";
    }

    private async Task<IReadOnlyList<PdfSignatureReport>> Verify(byte[] pdf) =>
        await new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
            new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], RequireSealCertificate = true }))).VerifyAsync(new MemoryStream(pdf));

    private async Task<byte[]> Sign(byte[] pdf)
    {
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(pdf), output, pki.Creator(SealKeyAlgorithm.Rsa),
            new SignatureOptions { Level = PadesLevel.BaselineB, SigningTime = SignedAt });
        return output.ToArray();
    }
}
