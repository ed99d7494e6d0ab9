using SealService.Keys;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.TestSupport;
using Xunit.Abstractions;

namespace SealService.Pdf.Tests.Signing;

/// <summary>Real signatures (Keys' CAdES creator, dev PKI) judged by qpdf and poppler's pdfsig.</summary>
[Collection(SigningCollection.Name)]
public sealed class PdfSignerTests(SigningFixture pki, ITestOutputHelper log) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>Each input kind, level and algorithm, with the key from a PKCS#12 file and again from the SoftHSM2 token.</summary>
    public static TheoryData<string, SealKeyAlgorithm, PadesLevel, KeySource> Inputs()
    {
        (string, SealKeyAlgorithm, PadesLevel)[] rows =
        [
            ("classic", SealKeyAlgorithm.Rsa, PadesLevel.BaselineB), ("classic", SealKeyAlgorithm.Rsa, PadesLevel.BaselineT),
            ("classic", SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB), ("classic", SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT),
            ("xrefstream", SealKeyAlgorithm.Rsa, PadesLevel.BaselineB), ("xrefstream", SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT),
            ("form-indirect-annots", SealKeyAlgorithm.Rsa, PadesLevel.BaselineB), ("form-xrefstream", SealKeyAlgorithm.Rsa, PadesLevel.BaselineT),
            ("skia", SealKeyAlgorithm.Rsa, PadesLevel.BaselineB), ("hybrid", SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB),
        ];
        var data = new TheoryData<string, SealKeyAlgorithm, PadesLevel, KeySource>();
        foreach (var source in new[] { KeySource.File, KeySource.Pkcs11 })
        {
            foreach (var (kind, algorithm, level) in rows)
            {
                data.Add(kind, algorithm, level, source);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Signed_pdf_passes_qpdf_pdfsig_and_openssl(string kind, SealKeyAlgorithm algorithm, PadesLevel level, KeySource source)
    {
        var input = MakeInput(kind);
        var output = _tmp.File($"{kind}-{algorithm}-{level}-{source}.pdf");

        await Sign(input, output, algorithm, level, source);

        AssertQpdfClean(output);
        var openssl = ExternalTools.OpenSslVerifyLastSignature(output, pki.RootPem);
        Assert.True(openssl.ExitCode == 0, openssl.All);
        var sigs = Pdfsig(output);
        var only = Assert.Single(sigs);
        AssertValidWhole(only);
        if (level == PadesLevel.BaselineT)
        {
            Assert.Contains("Signature Type: ETSI.CAdES.detached", only);
        }
    }

    [Theory]
    [InlineData(KeySource.File)]
    [InlineData(KeySource.Pkcs11)]
    public async Task Second_signature_keeps_the_first_valid(KeySource source)
    {
        var input = MakeInput("form-xrefstream");
        var once = _tmp.File($"once-{source}.pdf");
        var twice = _tmp.File($"twice-{source}.pdf");
        await Sign(input, once, SealKeyAlgorithm.Rsa, PadesLevel.BaselineB, source);
        await Sign(once, twice, SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT, source);

        AssertQpdfClean(twice);
        var sigs = Pdfsig(twice);
        Assert.Equal(2, sigs.Count);
        Assert.Contains("Signature Validation: Signature is Valid.", sigs[0]);
        Assert.DoesNotContain("Total document signed", sigs[0]); // the first covers its own revision
        AssertValidWhole(sigs[1]);
    }

    [Theory]
    [InlineData(KeySource.File)]
    [InlineData(KeySource.Pkcs11)]
    public async Task Flipped_byte_in_signed_range_breaks_every_signature(KeySource source)
    {
        var input = MakeInput("classic");
        var once = _tmp.File($"once-{source}.pdf");
        var twice = _tmp.File($"twice-{source}.pdf");
        await Sign(input, once, SealKeyAlgorithm.Rsa, PadesLevel.BaselineB, source);
        await Sign(once, twice, SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB, source);

        var bytes = await File.ReadAllBytesAsync(twice);
        var at = System.Text.Encoding.Latin1.GetString(bytes).IndexOf("Test page 1", StringComparison.Ordinal);
        bytes[at] ^= 0x01; // inside the first revision: covered by both signatures
        var tampered = _tmp.File($"tampered-{source}.pdf");
        await File.WriteAllBytesAsync(tampered, bytes);

        var sigs = Pdfsig(tampered);
        Assert.Equal(2, sigs.Count);
        Assert.All(sigs, s => Assert.DoesNotContain("Signature is Valid", s));
    }

    [Theory]
    [InlineData(KeySource.File)]
    [InlineData(KeySource.Pkcs11)]
    public async Task Visible_seal_image_is_drawn_at_the_rect(KeySource source)
    {
        // A solid red 64x64 square with a transparent border.
        var rgba = new byte[64 * 64 * 4];
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var i = ((y * 64) + x) * 4;
                var inside = x is >= 8 and < 56 && y is >= 8 and < 56;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)220, (byte)0, (byte)0, inside ? (byte)255 : (byte)0);
            }
        }

        var input = MakeInput("classic");
        var output = _tmp.File($"visible-{source}.pdf");
        await using (var i = File.OpenRead(input))
        await using (var o = File.Create(output))
        {
            await PdfSigner.SignAsync(i, o, pki.Creator(SealKeyAlgorithm.Rsa, source), new SignatureOptions
            {
                Page = 1,
                Rect = new SealService.Pdf.Parsing.PdfRect(400, 100, 128, 128),
                Appearance = SealAppearance.FromRgba(64, 64, rgba),
            });
        }

        AssertQpdfClean(output);
        AssertValidWhole(Assert.Single(Pdfsig(output)));
        // Render at 72 dpi: the seal's centre (464, 164 in PDF space) is red, the page corner white.
        var png = _tmp.File($"page-{source}");
        var r = ExternalTools.Run("pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", "-singlefile", output, png);
        Assert.Equal(0, r.ExitCode);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png + ".png");
        var centre = bitmap.GetPixel(464, 842 - 164);
        Assert.True(centre.Red > 180 && centre.Green < 60 && centre.Blue < 60, centre.ToString());
        var border = bitmap.GetPixel(400 + 4, 842 - 100 - 4); // transparent margin shows the white page
        Assert.True(border.Red > 240 && border.Green > 240, border.ToString());
    }

    private async Task Sign(string input, string output, SealKeyAlgorithm algorithm, PadesLevel level, KeySource source = KeySource.File)
    {
        await using var i = File.OpenRead(input);
        await using var o = File.Create(output);
        await PdfSigner.SignAsync(i, o, pki.Creator(algorithm, source), new SignatureOptions
        {
            Level = level,
            Reason = "准予行政许可",
            Location = "菏泽市牡丹区沙土镇便民服务中心",
            Name = "沙土镇",
        });
    }

    private string MakeInput(string kind)
    {
        if (kind == "skia")
        {
            var path = _tmp.File("skia.pdf");
            using var fs = File.Create(path);
            using var doc = SkiaSharp.SKDocument.CreatePdf(fs);
            var canvas = doc.BeginPage(595, 842);
            using var paint = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Navy };
            canvas.DrawRect(72, 72, 300, 40, paint);
            doc.EndPage();
            doc.Close();
            return path;
        }

        if (kind == "hybrid")
        {
            var hybrid = _tmp.File("hybrid.pdf");
            File.WriteAllBytes(hybrid, SpecialPdfs.Hybrid());
            return hybrid;
        }

        var form = kind.StartsWith("form", StringComparison.Ordinal);
        var classic = TestPdfs.SimpleFile(_tmp.Path, kind + ".pdf", new TestPdfs.Options { Pages = 2, WithTextField = form, IndirectAnnots = form });
        if (!kind.Contains("xrefstream", StringComparison.Ordinal))
        {
            return classic;
        }

        var xs = _tmp.File(kind + "-xs.pdf");
        ExternalTools.ToXrefStreams(classic, xs);
        return xs;
    }

    private static void AssertQpdfClean(string pdf)
    {
        var check = ExternalTools.QpdfCheck(pdf);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("No syntax or stream encoding errors found", check.All);
    }

    /// <summary>pdfsig's text, one block per signature ("Signature #1:", ...).</summary>
    private List<string> Pdfsig(string pdf)
    {
        var r = ExternalTools.Pdfsig(pdf, pki.NssDir);
        log.WriteLine(r.All);
        Assert.Equal(0, r.ExitCode);
        return r.StdOut.Split("Signature #", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
    }

    private static void AssertValidWhole(string block)
    {
        Assert.Contains("Signature Validation: Signature is Valid.", block);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", block);
        Assert.Contains("Total document signed", block);
    }
}
