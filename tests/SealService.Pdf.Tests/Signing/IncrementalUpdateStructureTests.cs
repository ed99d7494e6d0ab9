using SealService.Pdf.Parsing;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;

namespace SealService.Pdf.Tests.Signing;

/// <summary>
/// Structure of the incremental update alone: the CMS is left as the zero-filled placeholder (no
/// signature is claimed here; real signatures are checked with pdfsig in <see cref="PdfSignerTests"/>).
/// </summary>
public sealed class IncrementalUpdateStructureTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Inputs => ["classic", "xrefstream", "form-indirect-annots", "form-xrefstream", "hybrid"];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Update_passes_qpdf_check_and_keeps_original_bytes(string kind)
    {
        var input = MakeInput(kind);
        var output = _tmp.File(kind + "-out.pdf");
        var original = await File.ReadAllBytesAsync(input);

        await using (var i = File.OpenRead(input))
        await using (var o = File.Create(output))
        {
            var result = await PdfSigner.SignAsync(i, o, new PlaceholderCreator(), new SignatureOptions { Page = 1, Reason = "测试 reason" });
            Assert.Equal(1, result.Page);
        }

        var signed = await File.ReadAllBytesAsync(output);
        Assert.Equal(original, signed[..original.Length]);
        var check = ExternalTools.QpdfCheck(output);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("No syntax or stream encoding errors found", check.All);

        using var s = new MemoryStream(signed);
        var reader = PdfFileReader.Open(s);
        var expectedKind = kind.Contains("xrefstream", StringComparison.Ordinal) ? XrefKind.Stream : XrefKind.Table;
        Assert.Equal(expectedKind, reader.LastXrefKind);
        var catalog = PdfPageTree.Catalog(reader);
        var form = reader.ResolveDictionary(catalog["AcroForm"])!;
        Assert.Equal(3, Assert.IsType<PdfNumber>(reader.Resolve(form["SigFlags"])).LongValue);
        var fields = Assert.IsType<PdfArray>(reader.Resolve(form["Fields"]));
        var fieldTypes = fields.Items.Select(f => (reader.ResolveDictionary(f)!["FT"] as PdfName)?.Value).ToList();
        Assert.Contains("Sig", fieldTypes);
        if (kind.StartsWith("form", StringComparison.Ordinal))
        {
            Assert.Contains("Tx", fieldTypes); // the existing field stays
        }

        var page = PdfPageTree.Pages(reader)[0];
        var annots = Assert.IsType<PdfArray>(reader.Resolve(page.Dictionary["Annots"]));
        var widget = reader.ResolveDictionary(annots.Items[^1])!;
        var sig = reader.ResolveDictionary(widget["V"])!;
        Assert.Equal("ETSI.CAdES.detached", Assert.IsType<PdfName>(sig["SubFilter"]).Value);
        var range = Assert.IsType<PdfArray>(sig["ByteRange"]).Items.Cast<PdfNumber>().Select(n => n.LongValue).ToArray();
        Assert.Equal(0, range[0]);
        Assert.Equal(signed.Length, range[2] + range[3]);
        Assert.Equal((byte)'<', signed[range[1]]);
        Assert.Equal((byte)'>', signed[range[2] - 1]);
        Assert.Matches(@"^D:\d{14}\+08'00'$", Assert.IsType<PdfString>(sig["M"]).Text);
    }

    [Fact]
    public async Task Page_out_of_range_is_refused_with_a_code()
    {
        await using var i = new MemoryStream(TestPdfs.Simple());
        var e = await Assert.ThrowsAsync<PdfSigningException>(() =>
            PdfSigner.SignAsync(i, new MemoryStream(), new PlaceholderCreator(), new SignatureOptions { Page = 2 }));
        Assert.Equal(PdfSigningException.PageOutOfRange, e.Code);
    }

    [Fact]
    public async Task Certified_document_without_changes_allowed_is_refused()
    {
        await using var i = new MemoryStream(SpecialPdfs.CertifiedNoChanges());
        var e = await Assert.ThrowsAsync<PdfSigningException>(() =>
            PdfSigner.SignAsync(i, new MemoryStream(), new PlaceholderCreator(), new SignatureOptions()));
        Assert.Equal(PdfSigningException.SigningForbidden, e.Code);
    }

    [Fact]
    public async Task Forward_only_input_is_spooled_and_signed()
    {
        var pdf = TestPdfs.Simple();
        await using var forwardOnly = new ForwardOnlyStream(new MemoryStream(pdf));
        using var output = new MemoryStream();

        await PdfSigner.SignAsync(forwardOnly, output, new PlaceholderCreator(), new SignatureOptions());

        Assert.Equal(pdf, output.ToArray()[..pdf.Length]);
        var path = _tmp.File("spooled.pdf");
        await File.WriteAllBytesAsync(path, output.ToArray());
        Assert.Equal(0, ExternalTools.QpdfCheck(path).ExitCode);
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private string MakeInput(string kind)
    {
        if (kind == "hybrid")
        {
            var hybrid = _tmp.File("hybrid.pdf");
            File.WriteAllBytes(hybrid, SpecialPdfs.Hybrid());
            return hybrid;
        }

        var form = kind.StartsWith("form", StringComparison.Ordinal);
        var options = new TestPdfs.Options { Pages = 2, WithTextField = form, IndirectAnnots = form };
        var classic = TestPdfs.SimpleFile(_tmp.Path, kind + ".pdf", options);
        if (!kind.Contains("xrefstream", StringComparison.Ordinal))
        {
            return classic;
        }

        var xs = _tmp.File(kind + "-xs.pdf");
        ExternalTools.ToXrefStreams(classic, xs);
        return xs;
    }
}
