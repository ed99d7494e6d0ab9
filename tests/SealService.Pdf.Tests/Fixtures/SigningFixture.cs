using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>
/// A fresh development PKI (Keys' DevPki) with one seal per algorithm, its built-in TSA, and an NSS
/// database trusting its root so pdfsig can judge signatures.
/// </summary>
public sealed class SigningFixture : IDisposable
{
    public SigningFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sealpdf-pki-").FullName;
        Pki = DevPki.Init(Directory);
        foreach (var algorithm in Enum.GetValues<SealKeyAlgorithm>())
        {
            Pki.IssueSealCertificate(SealId(algorithm), "菏泽市牡丹区行政审批服务局审批专用章（沙土镇）", "菏泽市牡丹区行政审批服务局", algorithm);
        }

        Tsa = Pki.CreateTimeStampAuthority();
        NssDir = ExternalTools.CreateNssDb(RootPem);
    }

    public string Directory { get; }

    public DevPki Pki { get; }

    public DevTimeStampAuthority Tsa { get; }

    public string NssDir { get; }

    public string RootPem => Path.Combine(Directory, DevPki.RootCaFile + ".pem");

    public static string SealId(SealKeyAlgorithm algorithm) => "seal-pdf-" + algorithm.ToName();

    public string SealPath(SealKeyAlgorithm algorithm) => Pki.SealFilePath(SealId(algorithm));

    public CadesSignatureCreator Creator(SealKeyAlgorithm algorithm) =>
        CadesSignatureCreator.FromPkcs12(SealPath(algorithm), DevPki.DefaultPassphrase, Tsa);

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        System.IO.Directory.Delete(NssDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SigningCollection : ICollectionFixture<SigningFixture>
{
    public const string Name = "pdf signing pki";
}
