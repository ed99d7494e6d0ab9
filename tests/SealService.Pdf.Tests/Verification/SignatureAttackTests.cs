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

    [Fact]
    public async Task Signature_wrapping_with_an_enlarged_gap_is_refused()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (wrapped, signedBytes) = Wrap(signed, "BT /F1 24 Tf 72 700 Td (Forged) Tj ET");

        // The attack keeps every signed byte: only the framing gives it away.
        var original = ByteRange(signed);
        Assert.Equal(signed[..(int)original[1]].Concat(signed[(int)original[2]..]).ToArray(), signedBytes);
        var (_, contents, _) = IncrementalEdit.FirstPage(signed);
        var reader = PdfFileReader.Open(new MemoryStream(wrapped));
        Assert.Contains("Forged", Encoding.Latin1.GetString(reader.DecodeStream((PdfStream)reader.GetObject(contents)!)));

        var report = Assert.Single(await Verify(wrapped));
        Assert.False(report.Valid);
        Assert.Contains(report.ErrorCode, new[] { SignatureErrorCodes.ContentsInvalid, SignatureErrorCodes.ByteRangeInvalid });
    }

    [Fact]
    public async Task A_new_signature_field_without_a_valid_signature_leaves_the_first_valid()
    {
        var signed = await Sign(TestPdfs.Simple());
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(signed), output, new PlaceholderCreator(), new SignatureOptions());

        var reports = await Verify(output.ToArray());
        Assert.Equal(2, reports.Count);
        Assert.True(reports[0].Valid, reports[0].Message);
        Assert.Empty(reports[0].Modifications);
        Assert.False(reports[1].Valid);
        Assert.Equal(SignatureErrorCodes.ContentsInvalid, reports[1].ErrorCode);
    }

    [Fact]
    public async Task Shadow_hide_an_overlay_removed_after_signing_is_altered()
    {
        // Before signing, the page carries an overlay (a white box hiding text); an update removes it.
        var plain = TestPdfs.Simple();
        var (page, _, _) = IncrementalEdit.FirstPage(plain);
        var overlay = PdfFileReader.Open(new MemoryStream(plain)).Size;
        var pageSource = IncrementalEdit.Source(plain, page);
        var withOverlay = IncrementalEdit.Append(plain, new Dictionary<int, string>
        {
            [overlay] = "<< /Type /Annot /Subtype /Square /Rect [60 740 400 800] /IC [1 1 1] /C [1 1 1] >>",
            [page] = WithAnnots(pageSource, $"{overlay} 0 R"),
        });
        var signed = await Sign(withOverlay);
        var signedPage = IncrementalEdit.Source(signed, page);
        var uncovered = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [page] = signedPage.Replace($"{overlay} 0 R", string.Empty, StringComparison.Ordinal),
        });

        var report = Assert.Single(await Verify(uncovered));
        AssertAltered(report, revision: 3, page);
    }

    [Fact]
    public async Task Shadow_replace_a_field_value_and_appearance_changed_after_signing_is_altered()
    {
        var signed = await Sign(TestPdfs.Simple(new TestPdfs.Options { WithTextField = true }));
        var reader = PdfFileReader.Open(new MemoryStream(signed));
        var form = reader.ResolveDictionary(reader.ResolveDictionary(reader.Trailer["Root"])!["AcroForm"])!;
        var textField = ((PdfReference)((PdfArray)reader.Resolve(form["Fields"])!)[0]).Id.Number;
        var appearance = reader.Size;
        var source = IncrementalEdit.Source(signed, textField).Replace("(Zhang San)", "(Li Si)", StringComparison.Ordinal);
        source = source[..source.LastIndexOf(">>", StringComparison.Ordinal)] + $" /AP << /N {appearance} 0 R >> >>";
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [appearance] = IncrementalEdit.Stream("BT /Helv 12 Tf 2 10 Td (Li Si) Tj ET").Replace("<< /Length", "<< /Type /XObject /Subtype /Form /BBox [0 0 228 30] /Length", StringComparison.Ordinal),
            [textField] = source,
        });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 2, textField);
    }

    [Fact]
    public async Task Shadow_hide_and_replace_pages_repointed_to_a_tree_prepared_before_signing_is_altered()
    {
        var plain = TestPdfs.Simple();
        var reader = PdfFileReader.Open(new MemoryStream(plain));
        var root = ((PdfReference)reader.Trailer["Root"]!).Id.Number;
        var (shadowPages, shadowPage, shadowContent) = (reader.Size, reader.Size + 1, reader.Size + 2);
        var prepared = IncrementalEdit.Append(plain, new Dictionary<int, string>
        {
            [shadowPages] = $"<< /Type /Pages /Count 1 /MediaBox [0 0 595 842] /Kids [{shadowPage} 0 R] >>",
            [shadowPage] = $"<< /Type /Page /Parent {shadowPages} 0 R /Contents {shadowContent} 0 R >>",
            [shadowContent] = IncrementalEdit.Stream("BT /F1 24 Tf 72 760 Td (Forged) Tj ET"),
        });
        var signed = await Sign(prepared);
        var catalog = IncrementalEdit.Source(signed, root);
        var (_, _, pages) = IncrementalEdit.FirstPage(signed);
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string>
        {
            [root] = catalog.Replace($"/Pages {pages} 0 R", $"/Pages {shadowPages} 0 R", StringComparison.Ordinal),
        });

        var report = Assert.Single(await Verify(forged));
        AssertAltered(report, revision: 3, root);
        Assert.Contains("/Pages", report.Message);
    }

    [Fact]
    public async Task An_object_defined_twice_in_one_revision_is_refused()
    {
        var signed = await Sign(TestPdfs.Simple());
        var (_, contents, _) = IncrementalEdit.FirstPage(signed);
        var forged = IncrementalEdit.Append(signed, new Dictionary<int, string> { [contents] = IncrementalEdit.Stream("BT ET") });
        var text = Encoding.Latin1.GetString(forged);
        var at = text.LastIndexOf($"{contents} 1\n", StringComparison.Ordinal);
        var line = text.Substring(at, $"{contents} 1\n".Length + 20);
        // A second one-entry subsection for the same object number, in the same section.
        var doubled = text.Insert(at + line.Length, line);
        var error = await Assert.ThrowsAsync<PdfFormatException>(() => Verify(Encoding.Latin1.GetBytes(doubled)));
        Assert.Contains("appears twice", error.Message);
    }

    [Fact]
    public async Task A_hybrid_cross_reference_file_is_refused_as_ambiguous()
    {
        var signed = await Sign(TestPdfs.Simple());
        var reader = PdfFileReader.Open(new MemoryStream(signed));
        var number = reader.Size;
        var output = new MemoryStream();
        output.Write(signed);
        var xrefStream = output.Position;
        var data = "\u0001\u0000\u0000\u0000\u0000\u0000\u0000";
        Write(output, $"{number} 0 obj\n<< /Type /XRef /Size {number + 1} /W [1 4 2] /Index [{number} 1] /Length {data.Length} >>\nstream\n{data}\nendstream\nendobj\n");
        var table = output.Position;
        Write(output, $"xref\n{number} 1\n{xrefStream:D10} 00000 n \ntrailer\n<< /Size {number + 1} /Root {((PdfReference)reader.Trailer["Root"]!).Id} /Prev {reader.StartXref} /XRefStm {xrefStream} >>\nstartxref\n{table}\n%%EOF\n");

        var report = Assert.Single(await Verify(output.ToArray()));
        Assert.False(report.Valid);
        Assert.Equal(SignatureErrorCodes.Ambiguous, report.ErrorCode);
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

    /// <summary>
    /// The wrapping attack: the second signed range moves back, and the enlarged gap holds, at the offset the signed
    /// <c>startxref</c> names, a new xref stream redefining the page content and the signature dictionary, whose
    /// ByteRange fits the new gap and whose /Contents (the original CMS, zero-padded to the gap) sits compressed in an
    /// object stream. Returns the file and its signed bytes under the forged ByteRange.
    /// </summary>
    private static (byte[] File, byte[] SignedBytes) Wrap(byte[] signed, string content)
    {
        var reader = PdfFileReader.Open(new MemoryStream(signed));
        var r = ByteRange(signed);
        var (a, b, c) = ((int)r[1], (int)r[2], (int)r[3]);
        var x = (int)reader.StartXref;
        var revision = reader.Revisions[^1];
        var prev = ((PdfNumber)revision.Trailer["Prev"]!).LongValue;
        var root = ((PdfReference)reader.Trailer["Root"]!).Id;
        var (_, contentsObject, _) = IncrementalEdit.FirstPage(signed);
        var sig = SignatureDictionary(signed);
        var (stringObject, objectStream, xrefObject) = (reader.Size, reader.Size + 1, reader.Size + 2);

        const int delta = 64 * 1024;
        var gapLength = b - a + delta;
        var newB = a + gapLength;
        var der = PdfSignatureVerifier.TrimDer(((PdfString)reader.ResolveDictionary(new PdfReference(sig, 0))!["Contents"]!).Bytes)!;
        var padded = new byte[(gapLength - 2) / 2];
        der.CopyTo(padded, 0);
        var forgedSig = System.Text.RegularExpressions.Regex.Replace(IncrementalEdit.Source(signed, sig), @"/ByteRange\s*\[[^\]]*\]", $"/ByteRange [0 {a} {newB} {c}]");
        forgedSig = System.Text.RegularExpressions.Regex.Replace(forgedSig, @"/Contents\s*<[0-9A-Fa-f]*>", $"/Contents {stringObject} 0 R");

        var header = $"{stringObject} 0 ";
        var packed = Deflate(Encoding.Latin1.GetBytes(header + "<" + Convert.ToHexString(padded) + ">"));
        var objects = new List<(int Number, string Text)>
        {
            (contentsObject, $"{contentsObject} 0 obj\n{IncrementalEdit.Stream(content)}\nendobj\n"),
            (sig, $"{sig} 0 obj\n{forgedSig}\nendobj\n"),
            (objectStream, $"{objectStream} 0 obj\n<< /Type /ObjStm /N 1 /First {header.Length} /Filter /FlateDecode /Length {packed.Length} >>\nstream\n{Encoding.Latin1.GetString(packed)}\nendstream\nendobj\n"),
        };

        // Entries: the signature revision's objects (moved by delta past b), the forged ones, the string in the object stream.
        var rows = new SortedDictionary<int, (int Type, long Field2, int Field3)>();
        foreach (var (number, entry) in revision.Entries.Where(e => e.Value.Kind == XrefEntryKind.InFile))
        {
            rows[number] = (1, entry.Offset >= b ? entry.Offset + delta : entry.Offset, 0);
        }

        string XrefStream(SortedDictionary<int, (int Type, long Field2, int Field3)> table)
        {
            var data = new StringBuilder();
            foreach (var (_, (type, f2, f3)) in table)
            {
                data.Append((char)type).Append((char)((f2 >> 24) & 0xFF)).Append((char)((f2 >> 16) & 0xFF)).Append((char)((f2 >> 8) & 0xFF))
                    .Append((char)(f2 & 0xFF)).Append((char)((f3 >> 8) & 0xFF)).Append((char)(f3 & 0xFF));
            }

            var index = string.Join(' ', table.Keys.Select(k => $"{k} 1"));
            return $"{xrefObject} 0 obj\n<< /Type /XRef /Size {xrefObject + 1} /W [1 4 2] /Index [{index}] /Root {root} /Prev {prev} /Length {data.Length} >>\nstream\n{data}\nendstream\nendobj\n";
        }

        rows[xrefObject] = (1, x, 0);
        rows[stringObject] = (2, objectStream, 0);
        foreach (var (number, _) in objects)
        {
            rows[number] = (1, 0, 0);
        }

        var position = x + XrefStream(rows).Length;
        foreach (var (number, text) in objects)
        {
            rows[number] = (1, position, 0);
            position += text.Length;
        }

        Assert.True(position < newB - 1, "the forged objects must fit the enlarged gap");
        var gap = new char[gapLength];
        Array.Fill(gap, ' ');
        Encoding.Latin1.GetString(signed, a, b - a - 1).CopyTo(0, gap, 0, b - a - 1);
        var forged = XrefStream(rows) + string.Concat(objects.Select(o => o.Text));
        forged.CopyTo(0, gap, x - a, forged.Length);
        gap[^1] = '>';

        var head = signed.AsSpan(0, a).ToArray();
        var tail = signed.AsSpan(b).ToArray();
        var file = head.Concat(Encoding.Latin1.GetBytes(gap)).Concat(tail).ToArray();
        return (file, head.Concat(tail).ToArray());
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            z.Write(data);
        }

        return output.ToArray();
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

    private static void Write(Stream s, string text) => s.Write(Encoding.Latin1.GetBytes(text));

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
