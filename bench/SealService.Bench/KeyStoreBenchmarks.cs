using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.TestSupport;

namespace SealService.Bench;

/// <summary>
/// One signature through the signing seam with the key in a PKCS#12 file against the same kind of key inside SoftHSM2
/// (generated in the token), beside the raw .NET RSA rate of the same run. Each benchmark process makes its own token.
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*KeyStoreBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class KeyStoreBenchmarks
{
    private readonly byte[] _digest = SHA256.HashData("benchmark"u8);
    private string _dir = "";
    private RSA _rawRsa = null!;
    private SoftwareSigner _fileRsa = null!;
    private SoftwareSigner _fileEcdsa = null!;
    private Pkcs11SealKeyStore _token = null!;
    private IRawSigner _tokenRsa = null!;
    private IRawSigner _tokenEcdsa = null!;
    private CadesSignatureCreator _cmsFile = null!;
    private CadesSignatureCreator _cmsToken = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealservice-keybench-").FullName;
        var pki = DevPki.Init(_dir);
        _fileRsa = SoftwareSigner.FromPkcs12(pki.IssueSealCertificate("bench-rsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Rsa), DevPki.DefaultPassphrase);
        _fileEcdsa = SoftwareSigner.FromPkcs12(pki.IssueSealCertificate("bench-ecdsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Ecdsa), DevPki.DefaultPassphrase);
        _rawRsa = RSA.Create(2048);
        _token = new Pkcs11SealKeyStore(new Pkcs11Options { Library = SoftHsm.Module, TokenLabel = SoftHsm.Shared.Label, Pin = SoftHsm.UserPin }, null);
        Pkcs11DevSeals.Create(_token.Token, pki, "bench-rsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Rsa);
        Pkcs11DevSeals.Create(_token.Token, pki, "bench-ecdsa", "基准测试审批专用章", "基准测试局", SealKeyAlgorithm.Ecdsa);
        _tokenRsa = _token.GetAsync("seals/bench-rsa").GetAwaiter().GetResult().Signer;
        _tokenEcdsa = _token.GetAsync("seals/bench-ecdsa").GetAwaiter().GetResult().Signer;
        _cmsFile = new CadesSignatureCreator(_fileRsa, null);
        _cmsToken = new CadesSignatureCreator(_tokenRsa, null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _token.Dispose();
        _fileRsa.Dispose();
        _fileEcdsa.Dispose();
        _rawRsa.Dispose();
        Directory.Delete(_dir, true);
        Directory.Delete(SoftHsm.Shared.Directory, true);
    }

    [Benchmark(Baseline = true, Description = "RSA-2048 sign, raw .NET (OpenSSL)")]
    public byte[] RawRsa() => _rawRsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "RSA-2048 digest, file key (IRawSigner)")]
    public ValueTask<byte[]> FileRsa() => _fileRsa.SignDigestAsync(_digest);

    [Benchmark(Description = "RSA-2048 digest, SoftHSM2 (IRawSigner)")]
    public ValueTask<byte[]> TokenRsa() => _tokenRsa.SignDigestAsync(_digest);

    [Benchmark(Description = "ECDSA P-256 digest, file key")]
    public ValueTask<byte[]> FileEcdsa() => _fileEcdsa.SignDigestAsync(_digest);

    [Benchmark(Description = "ECDSA P-256 digest, SoftHSM2")]
    public ValueTask<byte[]> TokenEcdsa() => _tokenEcdsa.SignDigestAsync(_digest);

    [Benchmark(Description = "CMS B-B (RSA), file key")]
    public Task<byte[]> CmsFile() => _cmsFile.CreateAsync(_digest, PadesLevel.BaselineB);

    [Benchmark(Description = "CMS B-B (RSA), SoftHSM2")]
    public Task<byte[]> CmsToken() => _cmsToken.CreateAsync(_digest, PadesLevel.BaselineB);
}
