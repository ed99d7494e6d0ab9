using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Signing;
using SealService.Pdf.Verification;

namespace SealService.Bench;

/// <summary>
/// Verification of signed PDFs (framing, revisions, modification analysis, CMS and chain; no registry or ledger):
/// a 20 KB file with one RSA-2048 signature and the same file signed ten times, next to a raw RSA-2048 signature.
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*VerifyBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private string _dir = string.Empty;
    private byte[] _once = [];
    private byte[] _tenTimes = [];
    private PdfSignatureVerifier _verifier = null!;
    private RSA _rsa = null!;
    private readonly byte[] _digest = SHA256.HashData("benchmark"u8);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealbench-verify-").FullName;
        var pki = DevPki.Init(_dir);
        var p12 = pki.IssueSealCertificate("bench-rsa", "基准测试专用章", "基准测试", SealKeyAlgorithm.Rsa);
        var creator = CadesSignatureCreator.FromPkcs12(p12, DevPki.DefaultPassphrase, tsa: null);
        var pdf = Pdf20Kb();
        _once = Sign(pdf, creator);
        _tenTimes = _once;
        for (var i = 1; i < 10; i++)
            _tenTimes = Sign(_tenTimes, creator);
        _verifier = new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
            new CmsVerificationOptions { TrustedRoots = [pki.RootCertificate] })));
        _rsa = RSA.Create(2048);
        if (_verifier.VerifyAsync(new MemoryStream(_tenTimes)).GetAwaiter().GetResult().Count(r => r.Valid) != 10)
            throw new InvalidOperationException("the ten-signature file does not verify");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "verify 20 KB PDF, 1 signature")]
    public Task<IReadOnlyList<PdfSignatureReport>> VerifyOnce() => _verifier.VerifyAsync(new MemoryStream(_once, writable: false));

    [Benchmark(Description = "verify PDF with 10 signatures")]
    public Task<IReadOnlyList<PdfSignatureReport>> VerifyTen() => _verifier.VerifyAsync(new MemoryStream(_tenTimes, writable: false));

    [Benchmark(Description = "raw RSA-2048 sign (SHA-256 digest, PKCS#1 v1.5)")]
    public byte[] RawRsa2048() => _rsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static byte[] Sign(byte[] pdf, CadesSignatureCreator creator)
    {
        using var output = new MemoryStream();
        PdfSigner.SignAsync(new MemoryStream(pdf), output, creator, new SignatureOptions()).GetAwaiter().GetResult();
        return output.ToArray();
    }

    private static byte[] Pdf20Kb()
    {
        using var f = new MemoryStream();
        BenchPdf.Write(f, 20 * 1024);
        return f.ToArray();
    }
}
