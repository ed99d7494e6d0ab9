using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.Keys.Tsa;

namespace SealService.Pdf.Tests.Fixtures;

/// <summary>
/// A fresh development PKI (Keys' DevPki) with one seal per algorithm, its built-in TSA, and an NSS
/// database trusting its root so pdfsig can judge signatures. The RSA and ECDSA seals exist a second time with their
/// keys inside the process's SoftHSM2 token, certified by the same CA.
/// </summary>
public sealed class SigningFixture : IDisposable
{
    private readonly Lazy<Pkcs11SealKeyStore> _tokenStore;
    private readonly string _tokenSuffix = Guid.NewGuid().ToString("N")[..8];

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
        _tokenStore = new(() =>
        {
            var store = new Pkcs11SealKeyStore(new Pkcs11Options { Library = SoftHsm.Module, TokenLabel = SoftHsm.Shared.Label, Pin = SoftHsm.UserPin }, Tsa);
            foreach (var algorithm in new[] { SealKeyAlgorithm.Rsa, SealKeyAlgorithm.Ecdsa })
            {
                Pkcs11DevSeals.Create(store.Token, Pki, TokenSealId(algorithm), "菏泽市牡丹区行政审批服务局审批专用章（沙土镇）", "菏泽市牡丹区行政审批服务局", algorithm);
            }

            return store;
        });
    }

    public string Directory { get; }

    public DevPki Pki { get; }

    public DevTimeStampAuthority Tsa { get; }

    public string NssDir { get; }

    public string RootPem => Path.Combine(Directory, DevPki.RootCaFile + ".pem");

    public static string SealId(SealKeyAlgorithm algorithm) => "seal-pdf-" + algorithm.ToName();

    public string SealPath(SealKeyAlgorithm algorithm) => Pki.SealFilePath(SealId(algorithm));

    public string TokenSealId(SealKeyAlgorithm algorithm) => "seal-pdf-token-" + algorithm.ToName() + "-" + _tokenSuffix;

    public CadesSignatureCreator Creator(SealKeyAlgorithm algorithm, KeySource source = KeySource.File) => source == KeySource.File
        ? CadesSignatureCreator.FromPkcs12(SealPath(algorithm), DevPki.DefaultPassphrase, Tsa)
        : new CadesSignatureCreator(TokenSigner(algorithm), Tsa);

    private IRawSigner TokenSigner(SealKeyAlgorithm algorithm) =>
        _tokenStore.Value.GetAsync("seals/" + TokenSealId(algorithm)).GetAwaiter().GetResult().Signer;

    public void Dispose()
    {
        if (_tokenStore.IsValueCreated)
        {
            _tokenStore.Value.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
        System.IO.Directory.Delete(NssDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SigningCollection : ICollectionFixture<SigningFixture>
{
    public const string Name = "pdf signing pki";
}
