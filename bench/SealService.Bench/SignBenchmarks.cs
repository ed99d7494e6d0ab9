using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Pdf.Signing;

namespace SealService.Bench;

/// <summary>
/// PAdES B-B signing with RSA-2048 (dev PKI): a 20 KB and a 10 MB PDF, streamed from a file into
/// Stream.Null, next to a raw RSA-2048 signature for comparison.
/// Run: dotnet run -c Release --project bench/SealService.Bench -- --filter '*SignBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SignBenchmarks
{
    private string _dir = string.Empty;
    private string _pdf20Kb = string.Empty;
    private string _pdf10Mb = string.Empty;
    private CadesSignatureCreator _creator = null!;
    private RSA _rsa = null!;
    private readonly byte[] _digest = SHA256.HashData("benchmark"u8);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sealbench-").FullName;
        var pki = DevPki.Init(_dir);
        var p12 = pki.IssueSealCertificate("bench-rsa", "基准测试专用章", "基准测试", SealKeyAlgorithm.Rsa);
        _creator = CadesSignatureCreator.FromPkcs12(p12, DevPki.DefaultPassphrase, tsa: null);
        _pdf20Kb = WritePdf(Path.Combine(_dir, "20kb.pdf"), 20 * 1024);
        _pdf10Mb = WritePdf(Path.Combine(_dir, "10mb.pdf"), 10 * 1024 * 1024);
        _rsa = RSA.Create(2048);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "sign 20 KB PDF (B-B, RSA-2048)")]
    public Task<SignResult> Sign20Kb() => Sign(_pdf20Kb);

    [Benchmark(Description = "sign 10 MB PDF (B-B, RSA-2048)")]
    public Task<SignResult> Sign10Mb() => Sign(_pdf10Mb);

    [Benchmark(Description = "raw RSA-2048 sign (SHA-256 digest, PKCS#1 v1.5)")]
    public byte[] RawRsa2048() => _rsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private async Task<SignResult> Sign(string path)
    {
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        return await PdfSigner.SignAsync(input, Stream.Null, _creator, new SignatureOptions());
    }

    private static string WritePdf(string path, int size)
    {
        using var f = File.Create(path);
        BenchPdf.Write(f, size);
        return path;
    }
}
