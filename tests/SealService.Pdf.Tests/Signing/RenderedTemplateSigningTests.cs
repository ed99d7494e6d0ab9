using SealService.Keys;
using SealService.Pdf.Parsing;
using SealService.Pdf.Seals;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.Pdf.Tests.Rendering;
using SealService.TestSupport;

namespace SealService.Pdf.Tests.Signing;

/// <summary>
/// Every template, rendered from its sample and signed with the seal's image at the template's seal
/// position, is judged by qpdf and pdfsig (RSA and ECDSA; SM2 is our verifier's job).
/// </summary>
[Collection(SigningCollection.Name)]
public sealed class RenderedTemplateSigningTests(SigningFixture pki) : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, SealKeyAlgorithm, PadesLevel, KeySource> Cases()
    {
        var data = new TheoryData<string, SealKeyAlgorithm, PadesLevel, KeySource>();
        foreach (var id in RenderTestSupport.Catalog.Ids)
        {
            data.Add(id, SealKeyAlgorithm.Rsa, PadesLevel.BaselineB, KeySource.File);
            data.Add(id, SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineT, KeySource.File);
            data.Add(id, SealKeyAlgorithm.Rsa, PadesLevel.BaselineT, KeySource.Pkcs11);
            data.Add(id, SealKeyAlgorithm.Ecdsa, PadesLevel.BaselineB, KeySource.Pkcs11);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rendered_template_signs_and_passes_qpdf_pdfsig_and_openssl(string templateId, SealKeyAlgorithm algorithm, PadesLevel level, KeySource source)
    {
        var (rendered, path) = RenderTestSupport.RenderToFile(templateId);
        try
        {
            var seal = rendered.Seal;
            Assert.NotNull(seal);
            var face = SealFace.FromSealText("牡丹区行政审批服务局审批专用章（沙土镇）");
            var output = _tmp.File($"{templateId}-{algorithm}-{level}-{source}.pdf");
            await using (var input = File.OpenRead(path))
            await using (var signed = File.Create(output))
            {
                await PdfSigner.SignAsync(input, signed, pki.Creator(algorithm, source), new SignatureOptions
                {
                    Level = level,
                    Page = seal.PageIndex + 1,
                    Rect = new PdfRect(seal.X, seal.Y, seal.Width, seal.Height),
                    Appearance = SealAppearance.FromPng(SealImage.RenderPng(face, 256)),
                    Reason = "准予行政许可",
                });
            }

            var check = ExternalTools.QpdfCheck(output);
            Assert.True(check.ExitCode == 0, check.All);
            var openssl = ExternalTools.OpenSslVerifyLastSignature(output, pki.RootPem);
            Assert.True(openssl.ExitCode == 0, openssl.All);
            var report = ExternalTools.Pdfsig(output, pki.NssDir).StdOut;
            Assert.Contains("Signature Validation: Signature is Valid.", report);
            Assert.Contains("Certificate Validation: Certificate is Trusted.", report);
            Assert.Contains("Total document signed", report);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
