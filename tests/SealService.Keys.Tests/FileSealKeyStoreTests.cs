using System.Security.Cryptography;
using SealService.Keys.Pki;
using SealService.Keys.Store;
using SealService.Keys.Verification;

namespace SealService.Keys.Tests;

[Collection(PkiCollection.Name)]
public sealed class FileSealKeyStoreTests(PkiFixture pki)
{
    [Fact]
    public async Task RightPassphraseLoadsOnceAndCaches()
    {
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase }, null);

        var first = await store.GetAsync("seals/" + PkiFixture.SealId(SealKeyAlgorithm.Ecdsa));
        var second = await store.GetAsync("seals/" + PkiFixture.SealId(SealKeyAlgorithm.Ecdsa));

        Assert.Same(first, second);
        Assert.Same(first.Creator, second.Creator);
        Assert.Equal(pki.Pki.IssuingCertificate, first.Chain[0]);
        Assert.Equal(pki.Pki.RootCertificate, first.Chain[^1]);
    }

    [Fact]
    public async Task WrongPassphraseIsAClearError()
    {
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = "not-the-passphrase" }, null);
        var ex = await Assert.ThrowsAsync<KeysException>(() => store.GetAsync("seals/" + PkiFixture.SealId(SealKeyAlgorithm.Rsa)));
        Assert.Equal(KeyErrorCodes.KeyPassphraseInvalid, ex.Code);
        Assert.DoesNotContain("not-the-passphrase", ex.Message);
    }

    [Fact]
    public async Task MissingKeyIsNotIssuedOutsideDevelopmentMode()
    {
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase }, null);
        var ex = await Assert.ThrowsAsync<KeysException>(() => store.EnsureAsync("seals/seal-does-not-exist", new SealCertificateSubject("x", "y")));
        Assert.Equal(KeyErrorCodes.KeyNotFound, ex.Code);
        Assert.False(File.Exists(pki.Pki.SealFilePath("seal-does-not-exist")));
    }

    [Theory]
    [InlineData("../root-ca")]
    [InlineData("seals/../../etc/passwd")]
    [InlineData("/abs")]
    [InlineData("seals/UPPER")]
    [InlineData("")]
    public async Task InvalidReferencesAreRefused(string reference)
    {
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase }, null);
        var ex = await Assert.ThrowsAsync<KeysException>(() => store.GetAsync(reference));
        Assert.Equal(KeyErrorCodes.KeyReferenceInvalid, ex.Code);
    }

    [Fact]
    public async Task ACorruptFileIsReportedAsInvalid()
    {
        var path = pki.Pki.SealFilePath("seal-corrupt");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(600));
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase }, null);

        var ex = await Assert.ThrowsAsync<KeysException>(() => store.GetAsync("seals/seal-corrupt"));
        Assert.Equal(KeyErrorCodes.KeyFileInvalid, ex.Code);
    }

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa)]
    [InlineData(SealKeyAlgorithm.Sm2)]
    public async Task DevelopmentModeIssuesAMissingSealOnDemand(SealKeyAlgorithm algorithm)
    {
        var sealId = "seal-on-demand-" + algorithm.ToName();
        const string text = "泽州县巴公镇人民政府行政审批服务专用章";
        using var store = new FileSealKeyStore(
            new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase, IssueMissingDevSeals = true },
            null);

        await store.EnsureAsync("seals/" + sealId, new SealCertificateSubject(text, "泽州县巴公镇人民政府", algorithm));
        var key = await store.GetAsync("seals/" + sealId);

        Assert.True(File.Exists(pki.Pki.SealFilePath(sealId)));
        var digest = Hashed(key.Creator, "document"u8.ToArray());
        var cms = await key.Creator.CreateAsync(digest, PadesLevel.BaselineB);
        var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(cms, digest);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(text, result.SignerCommonName);
        Assert.Equal(algorithm, result.Algorithm);

        // A second store finds the file instead of issuing again.
        using var again = new FileSealKeyStore(new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase, IssueMissingDevSeals = true }, null);
        Assert.Equal(key.Certificate, (await again.GetAsync("seals/" + sealId)).Certificate);
    }

    [Fact]
    public async Task ConcurrentFirstUseIssuesOneKey()
    {
        using var store = new FileSealKeyStore(
            new FileKeyStoreOptions { Directory = pki.Directory, Passphrase = DevPki.DefaultPassphrase, IssueMissingDevSeals = true },
            null);
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await store.EnsureAsync("seals/seal-concurrent", new SealCertificateSubject("并发测试章", "测试局"));
            return await store.GetAsync("seals/seal-concurrent");
        })));
        Assert.Single(keys.Select(k => k.Certificate).Distinct());
    }

    [Fact]
    public void ReissuingAnExistingSealNeedsOverwrite()
    {
        var path = pki.Pki.IssueSealCertificate("seal-reissue", "甲", "乙");
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<KeysException>(() => pki.Pki.IssueSealCertificate("seal-reissue", "甲", "乙"));
        Assert.Equal(KeyErrorCodes.KeyExists, ex.Code);
        Assert.Equal(before, File.ReadAllBytes(path));

        pki.Pki.IssueSealCertificate("seal-reissue", "甲", "乙", overwrite: true);
        Assert.NotEqual(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("", "乙")]
    [InlineData("甲", " ")]
    [InlineData("甲\n", "乙")]
    public void SealSubjectTextIsValidated(string text, string organisation)
    {
        var ex = Assert.Throws<KeysException>(() => pki.Pki.IssueSealCertificate("seal-bad-text", text, organisation));
        Assert.Equal(KeyErrorCodes.SealInputInvalid, ex.Code);
    }

    private static byte[] Hashed(ICmsSignatureCreator creator, byte[] content)
    {
        using var hasher = creator.CreateHasher();
        hasher.Append(content);
        return hasher.Finish();
    }
}
