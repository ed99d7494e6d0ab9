using System.Globalization;
using System.Net;
using System.Text;
using SealService.Api.Tests.Infrastructure;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Pdf.Signing;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// An approval system uploads a PDF it has certified (DocMDP P=2) with an empty signature field for the seal: the
/// stamp names the field and signs into it, and both signatures stay valid; without the field name the upload is
/// refused with a code that says why and names the field.
/// </summary>
public sealed class CertifiedUploadTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    private const string Shatu = "twp-mudan-shatu";
    private const string Field = "审批专用章";

    [Fact]
    public async Task A_certified_upload_is_stamped_into_its_named_empty_field()
    {
        var clerk = factory.Clerk(Shatu);
        var certified = await Certified();

        var refused = await clerk.StampUpload(Upload("seal-mudan-spj-shatu", "mat-heze-mudan-001", "decide", Shatu, "CERT-2026-000001"), certified);
        var problem = await refused.AssertProblem(HttpStatusCode.UnprocessableEntity, PdfSigningException.CertifiedNeedsField);
        Assert.Contains(Field, problem.Str("detail"));

        var request = new
        {
            sealId = "seal-mudan-spj-shatu",
            matterId = "mat-heze-mudan-001",
            step = "decide",
            caseNumber = "CERT-2026-000002",
            subjectTownshipId = Shatu,
            documentKind = "decision",
            signatureField = Field,
        };
        var body = await (await clerk.StampUpload(request, certified)).Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(body.Str("documentId"));

        var reports = PdfChecks.AssertValid(pdf, factory.RootPem, expectedSignatures: 2);
        Assert.Equal(Field, reports[1].FieldName);
        Assert.Empty(reports[0].Modifications); // the certification allows filling its field

        var both = new { signatureField = Field, placement = new { page = 1, x = 10, y = 10, width = 50, height = 50 } };
        var invalid = await clerk.StampUpload(new
        {
            request.sealId,
            request.matterId,
            request.step,
            caseNumber = "CERT-2026-000003",
            request.subjectTownshipId,
            request.documentKind,
            both.signatureField,
            both.placement,
        }, certified);
        await invalid.AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    /// <summary>A one-page PDF with an empty signature field named in Chinese, certified P=2 by an approval system's key from the host's dev CA.</summary>
    private async Task<byte[]> Certified()
    {
        var name = "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(Field)) + ">";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            "<< /Type /Pages /Count 1 /Kids [3 0 R] /MediaBox [0 0 595 842] >>",
            "<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << >> /Annots [4 0 R] >>",
            $"<< /Type /Annot /Subtype /Widget /FT /Sig /T {name} /Rect [400 80 520 200] /P 3 0 R /F 4 >>",
            "<< /Length 0 >>\nstream\n\nendstream",
        ];
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");

        var pki = new DevPki(Path.Combine(factory.DataDirectory, "dev-keys"));
        var key = Path.Combine(factory.DataDirectory, "dev-keys", "seals", "approval-system.p12");
        if (!File.Exists(key))
            pki.IssueSealCertificate("approval-system", "牡丹区审批系统", "牡丹区行政审批服务局");
        var certifier = CadesSignatureCreator.FromPkcs12(key, DevPki.DefaultPassphrase, null);
        using var output = new MemoryStream();
        await PdfSigner.SignAsync(new MemoryStream(Encoding.Latin1.GetBytes(pdf.ToString())), output, certifier,
            new SignatureOptions { CertifyPermissions = 2, Rect = new Pdf.Parsing.PdfRect(72, 80, 100, 40), Reason = "审批系统核验" });
        return output.ToArray();
    }
}
