namespace SealService.Api.Tests.Infrastructure;

/// <summary>qpdf --check and poppler's pdfsig (NSS db trusting the dev root) on a stamped PDF.</summary>
public static class PdfChecks
{
    public static void AssertValid(byte[] pdf, string rootPem, int expectedSignatures)
    {
        var dir = Directory.CreateTempSubdirectory("stamped-").FullName;
        try
        {
            var path = Path.Combine(dir, "doc.pdf");
            File.WriteAllBytes(path, pdf);
            var qpdf = ExternalTools.QpdfCheck(path);
            Assert.True(qpdf.ExitCode == 0, "qpdf --check: " + qpdf.All);
            var nss = ExternalTools.CreateNssDb(rootPem);
            try
            {
                var sig = ExternalTools.Pdfsig(path, nss);
                var text = sig.All;
                Assert.Equal(expectedSignatures, CountOf(text, "Signature Validation: Signature is Valid."));
                Assert.Equal(expectedSignatures, CountOf(text, "Certificate Validation: Certificate is Trusted."));
                Assert.Contains("Total document signed", text.Split("Signature #")[^1], StringComparison.Ordinal);
            }
            finally
            {
                Directory.Delete(nss, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
