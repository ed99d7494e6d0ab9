using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>
/// A fresh development PKI (RSA CAs) in a temp folder with one seal per algorithm as a PKCS#12 file, and the RSA and
/// ECDSA seals again with their keys generated inside the process's SoftHSM2 token (certified by the same CA).
/// </summary>
public sealed class PkiFixture : IDisposable
{
    public const string SealText = "菏泽市牡丹区行政审批服务局审批专用章（沙土镇）";
    public const string Organisation = "菏泽市牡丹区行政审批服务局";

    private readonly Lazy<Pkcs11SealKeyStore> _tokenStore;
    private readonly string _tokenSuffix = Guid.NewGuid().ToString("N")[..8];

    public PkiFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sealservice-keys-tests-" + Guid.NewGuid().ToString("N"));
        Pki = DevPki.Init(Directory);
        foreach (var algorithm in Enum.GetValues<SealKeyAlgorithm>())
        {
            Pki.IssueSealCertificate(SealId(algorithm), SealText, Organisation, algorithm);
        }

        _tokenStore = new(() =>
        {
            var store = new Pkcs11SealKeyStore(TokenOptions(), null);
            foreach (var algorithm in new[] { SealKeyAlgorithm.Rsa, SealKeyAlgorithm.Ecdsa })
            {
                Pkcs11DevSeals.Create(store.Token, Pki, TokenSealId(algorithm), SealText, Organisation, algorithm);
            }

            return store;
        });
    }

    public string Directory { get; }

    public DevPki Pki { get; }

    public string RootPem => Path.Combine(Directory, DevPki.RootCaFile + ".pem");

    /// <summary>The token's seal keys (RSA and ECDSA; SoftHSM2 has no SM2).</summary>
    public Pkcs11SealKeyStore TokenStore => _tokenStore.Value;

    public static string SealId(SealKeyAlgorithm algorithm) => "seal-test-" + algorithm.ToName();

    public string TokenSealId(SealKeyAlgorithm algorithm) => "seal-token-" + algorithm.ToName() + "-" + _tokenSuffix;

    public string SealPath(SealKeyAlgorithm algorithm) => Pki.SealFilePath(SealId(algorithm));

    public static Pkcs11Options TokenOptions(string? pin = SoftHsm.UserPin, int maxSessions = 4) => new()
    {
        Library = SoftHsm.Module,
        TokenLabel = SoftHsm.Shared.Label,
        Pin = pin,
        MaxSessions = maxSessions,
    };

    /// <summary>The seal's signer from the chosen store.</summary>
    public IRawSigner Signer(SealKeyAlgorithm algorithm, KeySource source) => source == KeySource.File
        ? SoftwareSigner.FromPkcs12(SealPath(algorithm), DevPki.DefaultPassphrase)
        : TokenStore.GetAsync("seals/" + TokenSealId(algorithm)).GetAwaiter().GetResult().Signer;

    public void Dispose()
    {
        if (_tokenStore.IsValueCreated)
        {
            _tokenStore.Value.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PkiCollection : ICollectionFixture<PkiFixture>
{
    public const string Name = "dev pki";
}
