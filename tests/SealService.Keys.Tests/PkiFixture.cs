using SealService.Keys.Pki;

namespace SealService.Keys.Tests;

/// <summary>A fresh development PKI (RSA CAs) in a temp folder with one seal per algorithm.</summary>
public sealed class PkiFixture : IDisposable
{
    public const string SealText = "菏泽市牡丹区行政审批服务局审批专用章（沙土镇）";
    public const string Organisation = "菏泽市牡丹区行政审批服务局";

    public PkiFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sealservice-keys-tests-" + Guid.NewGuid().ToString("N"));
        Pki = DevPki.Init(Directory);
        foreach (var algorithm in Enum.GetValues<SealKeyAlgorithm>())
        {
            Pki.IssueSealCertificate(SealId(algorithm), SealText, Organisation, algorithm);
        }
    }

    public string Directory { get; }

    public DevPki Pki { get; }

    public string RootPem => Path.Combine(Directory, DevPki.RootCaFile + ".pem");

    public static string SealId(SealKeyAlgorithm algorithm) => "seal-test-" + algorithm.ToName();

    public string SealPath(SealKeyAlgorithm algorithm) => Pki.SealFilePath(SealId(algorithm));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class PkiCollection : ICollectionFixture<PkiFixture>
{
    public const string Name = "dev pki";
}
