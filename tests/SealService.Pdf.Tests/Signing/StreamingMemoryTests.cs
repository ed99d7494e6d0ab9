using SealService.Keys;
using SealService.Pdf.Signing;
using SealService.Pdf.Tests.Fixtures;
using SealService.TestSupport;
using Xunit.Abstractions;

namespace SealService.Pdf.Tests.Signing;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamingMemoryCollection
{
    public const string Name = "streaming memory (runs alone: it reads the process-wide allocation counter)";
}

/// <summary>
/// Signing copies and hashes the original through a fixed buffer: managed allocations must not grow
/// with the file size. Measured with GC.GetTotalAllocatedBytes (not time) for 1 MB vs 100 MB inputs.
/// </summary>
[Collection(StreamingMemoryCollection.Name)]
public sealed class StreamingMemoryTests(SigningFixture pki, ITestOutputHelper log) : IClassFixture<SigningFixture>, IDisposable
{
    private const long OneMb = 1 << 20;
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(KeySource.File)]
    [InlineData(KeySource.Pkcs11)]
    public async Task Signing_100_MB_allocates_no_more_than_signing_1_MB_plus_slack(KeySource source)
    {
        var creator = pki.Creator(SealKeyAlgorithm.Rsa, source);
        var small = TestPdfs.SimpleFile(_tmp.Path, "1mb.pdf", new TestPdfs.Options { PaddingBytes = OneMb });
        var big = TestPdfs.SimpleFile(_tmp.Path, "100mb.pdf", new TestPdfs.Options { PaddingBytes = 100 * OneMb });

        await SignAndMeasure(small, creator); // warm-up: JIT, pools, crypto providers
        var smallBytes = await SignAndMeasure(small, creator);
        var bigBytes = await SignAndMeasure(big, creator);
        log.WriteLine($"{source} key, allocated: 1 MB input {smallBytes / 1024} KiB, 100 MB input {bigBytes / 1024} KiB");

        Assert.True(bigBytes - smallBytes < OneMb, $"1 MB: {smallBytes} B, 100 MB: {bigBytes} B");

        var signed = big + ".signed.pdf";
        var sigs = ExternalTools.Pdfsig(signed, pki.NssDir).StdOut;
        Assert.Contains("Signature Validation: Signature is Valid.", sigs);
        Assert.Contains("Total document signed", sigs);
    }

    private static async Task<long> SignAndMeasure(string input, ICmsSignatureCreator creator)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var i = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        await using (var o = new FileStream(input + ".signed.pdf", FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await PdfSigner.SignAsync(i, o, creator, new SignatureOptions());
        }

        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
