using Org.BouncyCastle.X509;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Verification;

/// <summary>The Document Security Store of the newest revision: certificates, OCSP answers and CRLs (DER), read once per file.</summary>
internal sealed record DssContent(IReadOnlyList<X509Certificate> Certificates, IReadOnlyList<byte[]> Ocsps, IReadOnlyList<byte[]> Crls)
{
    private const int MaxItems = 1000;

    public static DssContent Read(PdfFileReader reader)
    {
        try
        {
            var catalog = reader.ResolveDictionary(reader.Trailer["Root"]);
            var dss = reader.ResolveDictionary(catalog?["DSS"]);
            if (dss is null)
            {
                return new([], [], []);
            }

            var parser = new X509CertificateParser();
            var certificates = Streams(reader, dss["Certs"]).Select(parser.ReadCertificate).OfType<X509Certificate>().ToList();
            return new(certificates, Streams(reader, dss["OCSPs"]), Streams(reader, dss["CRLs"]));
        }
        catch (Exception e) when (e is PdfFormatException or Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException)
        {
            return new([], [], []); // an unreadable DSS is no evidence: the finding says "not checked"
        }
    }

    private static List<byte[]> Streams(PdfFileReader reader, PdfObject? array) =>
        ((reader.Resolve(array) as PdfArray)?.Items ?? []).Take(MaxItems)
            .Select(reader.Resolve).OfType<PdfStream>().Select(reader.DecodeStream).ToList();
}
