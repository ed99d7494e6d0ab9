using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Crypto;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.Keys.Store;
using SealService.Keys.Tsa;
using SealService.Keys.Verification;

namespace SealService.Bench;

/// <summary>
/// Private-key operations per path (.NET/OpenSSL vs BouncyCastle managed) and whole CMS
/// creation/verification. Keys come from a throw-away development PKI.
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*CryptoBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly byte[] _sha256 = SHA256.HashData("benchmark"u8);
    private readonly byte[] _message = RandomNumberGenerator.GetBytes(200);
    private string _dir = "";
    private RSA _rsa = null!;
    private ECDsa _ecdsa = null!;
    private AsymmetricKeyParameter _bcRsa = null!;
    private ISignatureFactory _sm2 = null!;
    private CadesSignatureCreator _cmsRsa = null!;
    private CadesSignatureCreator _cmsSm2 = null!;
    private byte[] _sm3 = [];
    private byte[] _signedRsa = [];
    private CmsSignatureVerifier _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealservice-bench-").FullName;
        var pki = DevPki.Init(_dir);
        var tsa = pki.CreateTimeStampAuthority();
        var rsaPath = pki.IssueSealCertificate("bench-rsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Rsa);
        var ecPath = pki.IssueSealCertificate("bench-ecdsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Ecdsa);
        var sm2Path = pki.IssueSealCertificate("bench-sm2", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Sm2);

        // The benchmark reads the raw keys out of its own throw-away files (the service's types never expose them).
        _bcRsa = PrivateKeyOf(rsaPath);
        _rsa = RSA.Create();
        _rsa.ImportPkcs8PrivateKey(PrivateKeyInfoFactory.CreatePrivateKeyInfo(_bcRsa).GetEncoded(), out _);
        _ecdsa = ECDsa.Create();
        _ecdsa.ImportPkcs8PrivateKey(PrivateKeyInfoFactory.CreatePrivateKeyInfo(PrivateKeyOf(ecPath)).GetEncoded(), out _);
        _sm2 = new RawSignerSignatureFactory(SoftwareSigner.FromPkcs12(sm2Path, DevPki.DefaultPassphrase));

        _cmsRsa = CadesSignatureCreator.FromPkcs12(rsaPath, DevPki.DefaultPassphrase, tsa);
        _cmsSm2 = CadesSignatureCreator.FromPkcs12(sm2Path, DevPki.DefaultPassphrase, tsa);
        _sm3 = ContentHashers.Hash(SealKeyAlgorithm.Sm2, "benchmark"u8);
        _signedRsa = _cmsRsa.CreateAsync(_sha256, PadesLevel.BaselineB).GetAwaiter().GetResult();
        _verifier = new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = [pki.RootCertificate] });
    }

    private static AsymmetricKeyParameter PrivateKeyOf(string path)
    {
        var store = new Pkcs12StoreBuilder().Build();
        using (var stream = File.OpenRead(path))
        {
            store.Load(stream, DevPki.DefaultPassphrase.ToCharArray());
        }

        return store.GetKey(store.Aliases.First(store.IsKeyEntry)).Key;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _ecdsa.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Baseline = true, Description = "RSA-2048 sign, .NET (OpenSSL)")]
    public byte[] RsaSignDotNet() => _rsa.SignHash(_sha256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "RSA-2048 sign, BouncyCastle managed")]
    public byte[] RsaSignBouncyCastle()
    {
        var signer = SignerUtilities.GetSigner("SHA256WITHRSA");
        signer.Init(true, _bcRsa);
        signer.BlockUpdate(_message);
        return signer.GenerateSignature();
    }

    [Benchmark(Description = "ECDSA P-256 sign, .NET (OpenSSL)")]
    public byte[] EcdsaSignDotNet() => _ecdsa.SignHash(_sha256, DSASignatureFormat.Rfc3279DerSequence);

    [Benchmark(Description = "SM2/SM3 sign, BouncyCastle")]
    public byte[] Sm2SignBouncyCastle()
    {
        var calculator = _sm2.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(_message);
        }

        return calculator.GetResult().Collect();
    }

    [Benchmark(Description = "CMS B-B, RSA")]
    public byte[] CmsBaselineBRsa() => _cmsRsa.CreateAsync(_sha256, PadesLevel.BaselineB).GetAwaiter().GetResult();

    [Benchmark(Description = "CMS B-B, SM2")]
    public byte[] CmsBaselineBSm2() => _cmsSm2.CreateAsync(_sm3, PadesLevel.BaselineB).GetAwaiter().GetResult();

    [Benchmark(Description = "CMS B-T, RSA + dev TSA")]
    public byte[] CmsBaselineTRsa() => _cmsRsa.CreateAsync(_sha256, PadesLevel.BaselineT).GetAwaiter().GetResult();

    [Benchmark(Description = "CMS verify, RSA B-B")]
    public bool CmsVerifyRsa() => _verifier.Verify(_signedRsa, _sha256).IsValid;
}
