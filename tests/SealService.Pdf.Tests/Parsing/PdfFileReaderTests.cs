using SealService.Pdf.Parsing;
using SealService.Pdf.Tests.Fixtures;

namespace SealService.Pdf.Tests.Parsing;

public sealed class PdfFileReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Reads_classic_xref_table_pages_and_catalog()
    {
        using var s = new MemoryStream(TestPdfs.Simple(new TestPdfs.Options { Pages = 3 }));
        var reader = PdfFileReader.Open(s);

        Assert.Equal(XrefKind.Table, reader.LastXrefKind);
        var pages = PdfPageTree.Pages(reader);
        Assert.Equal(3, pages.Count);
        Assert.Equal(new PdfRect(0, 0, 595, 842), pages[2].MediaBox); // inherited from /Pages
        Assert.IsType<PdfReference>(PdfPageTree.Catalog(reader)["Pages"]);
    }

    [Fact]
    public void Strict_check_of_a_small_file_allocates_in_proportion_to_the_file_not_a_fixed_window()
    {
        var pdf = TestPdfs.Simple(new TestPdfs.Options { Pages = 3 });
        using var s = new MemoryStream(pdf);
        var reader = PdfFileReader.Open(s);
        reader.CheckStrict(); // the first call may fill the shared pool
        var before = GC.GetAllocatedBytesForCurrentThread();
        reader.CheckStrict();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // A scan window of 1 MiB per call (as before) would land on the large-object heap for every upload.
        Assert.True(allocated < 64 * 1024 + (8L * pdf.Length), $"{allocated} bytes allocated to check a {pdf.Length}-byte file");
    }

    [Fact]
    public void Reads_xref_streams_and_objects_inside_object_streams()
    {
        var classic = TestPdfs.SimpleFile(_tmp.Path, "in.pdf", new TestPdfs.Options { Pages = 2, WithTextField = true });
        var streams = _tmp.File("xs.pdf");
        ExternalTools.ToXrefStreams(classic, streams);

        using var s = File.OpenRead(streams);
        var reader = PdfFileReader.Open(s);

        Assert.Equal(XrefKind.Stream, reader.LastXrefKind);
        Assert.Contains(reader.CrossReferences.Values, e => e.Kind == XrefEntryKind.Compressed);
        var pages = PdfPageTree.Pages(reader);
        Assert.Equal(2, pages.Count);
        var catalog = PdfPageTree.Catalog(reader);
        var form = reader.ResolveDictionary(catalog["AcroForm"]);
        var fields = Assert.IsType<PdfArray>(reader.Resolve(form!["Fields"]));
        var field = reader.ResolveDictionary(fields[0])!;
        Assert.Equal("Zhang San", Assert.IsType<PdfString>(field["V"]).Text);
    }

    [Fact]
    public void Follows_prev_chain_of_an_incremental_update()
    {
        var original = TestPdfs.Simple();
        // Hand-made update replacing the font object: newest revision must win, /Prev must be read.
        var reader0 = PdfFileReader.Open(new MemoryStream(original));
        var update = System.Text.Encoding.ASCII.GetBytes(
            $"3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>\nendobj\n");
        var xrefAt = original.Length + update.Length;
        var tail = System.Text.Encoding.ASCII.GetBytes(
            $"xref\n3 1\n{original.Length:D10} 00000 n \ntrailer\n<< /Size {reader0.Size} /Root 1 0 R /Prev {reader0.StartXref} >>\nstartxref\n{xrefAt}\n%%EOF\n");

        var reader = PdfFileReader.Open(new MemoryStream([.. original, .. update, .. tail]));

        var font = Assert.IsType<PdfDictionary>(reader.GetObject(3));
        Assert.Equal("Courier", Assert.IsType<PdfName>(font["BaseFont"]).Value);
        Assert.Single(PdfPageTree.Pages(reader)); // older objects still found through /Prev
    }

    [Fact]
    public void Reads_hybrid_file_through_XRefStm()
    {
        var path = _tmp.File("hybrid.pdf");
        File.WriteAllBytes(path, SpecialPdfs.Hybrid());
        Assert.Equal(0, ExternalTools.QpdfCheck(path).ExitCode); // the input itself is sound

        using var s = File.OpenRead(path);
        var reader = PdfFileReader.Open(s);

        Assert.Equal(XrefKind.Table, reader.LastXrefKind);
        Assert.Equal(XrefEntryKind.Compressed, reader.CrossReferences[3].Kind);
        var page = Assert.Single(PdfPageTree.Pages(reader));
        Assert.Equal(3, page.Id.Number);
        Assert.Equal(new PdfRect(0, 0, 595, 842), page.MediaBox);
    }

    [Fact]
    public void Rejects_encrypted_pdf_with_PDF_ENCRYPTED()
    {
        var plain = TestPdfs.SimpleFile(_tmp.Path, "plain.pdf");
        var encrypted = _tmp.File("enc.pdf");
        var r = ExternalTools.Run("qpdf", "--encrypt", "user", "owner", "256", "--", plain, encrypted);
        Assert.Equal(0, r.ExitCode);

        using var s = File.OpenRead(encrypted);
        var e = Assert.Throws<PdfFormatException>(() => PdfFileReader.Open(s));
        Assert.Equal(PdfFormatException.Encrypted, e.Code);
    }

    [Theory]
    [InlineData("not a pdf at all, just some text that is long enough")]
    [InlineData("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9999\n%%EOF\n")]
    [InlineData("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 2 >>\nstartxref\n45\n%%EOF\n")]
    public void Rejects_malformed_pdf_with_PDF_INVALID(string content)
    {
        using var s = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(content));
        var e = Assert.Throws<PdfFormatException>(() => PdfFileReader.Open(s));
        Assert.Equal(PdfFormatException.Invalid, e.Code);
    }

    [Fact]
    public void Rejects_truncated_pdf_with_PDF_INVALID()
    {
        var full = TestPdfs.Simple();
        using var s = new MemoryStream(full[..(full.Length / 2)]);
        var e = Assert.Throws<PdfFormatException>(() => PdfFileReader.Open(s));
        Assert.Equal(PdfFormatException.Invalid, e.Code);
    }

    [Fact]
    public void Reads_pdf_made_by_skia()
    {
        using var ms = new MemoryStream();
        using (var doc = SkiaSharp.SKDocument.CreatePdf(ms))
        {
            for (var i = 0; i < 2; i++)
            {
                var canvas = doc.BeginPage(595, 842);
                using var paint = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Black };
                canvas.DrawRect(100, 100, 200, 50, paint);
                doc.EndPage();
            }

            doc.Close();
        }

        ms.Position = 0;
        var reader = PdfFileReader.Open(ms);
        Assert.Equal(2, PdfPageTree.Pages(reader).Count);
    }
}
