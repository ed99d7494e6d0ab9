using System.Text;
using SealService.Keys.Pki;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>
/// poppler's pdfsig (NSS underneath) judges our CMS inside a minimal hand-built signed PDF, so
/// the PDF signer can rely on the CMS side. pdfsig exits 0 even for bad signatures: read its text.
/// No -no-ocsp: poppler 22.12 then reads a stale NSS error after a successful chain check and
/// reports "Unknown issue with Certificate". Our certificates carry no AIA, so nothing is fetched.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class PopplerCrossCheckTests(PkiFixture pki) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-pdfsig-").FullName;

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa, PadesLevel.BaselineB, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Rsa, PadesLevel.BaselineT, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Rsa, PadesLevel.BaselineT, KeySource.Pkcs11)]
    [InlineData(SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB, KeySource.Pkcs11)]
    public async Task PdfsigReportsValidTrustedAndWholeDocumentThenDigestMismatchAfterAByteFlip(SealKeyAlgorithm algorithm, PadesLevel level, KeySource source)
    {
        var nss = TrustedNssDb();
        var creator = TestCms.Creator(pki, algorithm, pki.Pki.CreateTimeStampAuthority(), source);
        var pdf = await MinimalSignedPdf.CreateAsync(creator, level);
        var path = Path.Combine(_dir, "signed.pdf");
        File.WriteAllBytes(path, pdf.Bytes);

        var (_, good) = Tool.Run("pdfsig", "-nssdir", nss, path);
        Assert.Contains("Signature Validation: Signature is Valid.", good);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", good);
        Assert.Contains("Total document signed", good);
        Assert.Contains("ETSI.CAdES.detached", good);
        Assert.Contains("Signer Certificate Common Name: " + PkiFixture.SealText, good);

        pdf.Bytes[pdf.SignedByteInBody] ^= 0x01;
        File.WriteAllBytes(path, pdf.Bytes);
        var (_, bad) = Tool.Run("pdfsig", "-nssdir", nss, path);
        Assert.Contains("Signature Validation: Digest Mismatch.", bad);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string TrustedNssDb()
    {
        var db = "sql:" + Path.Combine(_dir, "nss");
        Directory.CreateDirectory(Path.Combine(_dir, "nss"));
        var created = Tool.Run("certutil", "-N", "-d", db, "--empty-password");
        Assert.True(created.ExitCode == 0, created.Output);
        var added = Tool.Run("certutil", "-A", "-d", db, "-n", "dev-root", "-t", "CT,C,C", "-i", pki.RootPem);
        Assert.True(added.ExitCode == 0, added.Output);
        return db;
    }
}

/// <summary>A one-page PDF with one signature field whose /Contents holds our CMS.</summary>
internal sealed record MinimalSignedPdf(byte[] Bytes, int SignedByteInBody)
{
    private const string ByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";

    public static async Task<MinimalSignedPdf> CreateAsync(ICmsSignatureCreator creator, PadesLevel level)
    {
        var contents = "<" + new string('0', creator.MaxSignatureSize * 2) + ">";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
            "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /T (Seal1) /F 132 /P 3 0 R /V 5 0 R >>",
            $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange {ByteRangePlaceholder} /Contents {contents} /M (D:20261129120000+08'00') >>",
        ];
        var text = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(text.Length);
            text.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = text.Length;
        text.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            text.Append($"{offset:D10} 00000 n \n");
        }

        text.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        var bytes = Encoding.ASCII.GetBytes(text.ToString());

        var doc = text.ToString();
        var lt = doc.IndexOf("/Contents <", StringComparison.Ordinal) + "/Contents ".Length;
        var afterGt = lt + contents.Length;
        var byteRange = $"[0 {lt:D10} {afterGt:D10} {bytes.Length - afterGt:D10}]";
        Encoding.ASCII.GetBytes(byteRange).CopyTo(bytes, doc.IndexOf(ByteRangePlaceholder, StringComparison.Ordinal));

        using var hasher = creator.CreateHasher();
        hasher.Append(bytes.AsSpan(0, lt));
        hasher.Append(bytes.AsSpan(afterGt));
        var cms = await creator.CreateAsync(hasher.Finish(), level);
        Encoding.ASCII.GetBytes(Convert.ToHexString(cms)).CopyTo(bytes, lt + 1);

        // A byte of the page's MediaBox: inside the signed range, harmless to the file's structure.
        return new MinimalSignedPdf(bytes, doc.IndexOf("[0 0 200 200]", StringComparison.Ordinal) + 5);
    }
}
