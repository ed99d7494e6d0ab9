using SealService.Keys.Pki;
using SealService.Keys.Store;

namespace SealService.Keys.Tests;

/// <summary>The material committed in certs-dev/ works on a clean clone, without `pki init`.</summary>
public sealed class CommittedDevMaterialTests
{
    private static readonly string CertsDev = Path.Combine(RepoRoot(), "certs-dev");

    [Theory]
    [InlineData("seal-mudan-spj-shatu", SealKeyAlgorithm.Rsa)]
    [InlineData("seal-zezhou-xx", SealKeyAlgorithm.Ecdsa)]
    [InlineData("seal-sample-sm2", SealKeyAlgorithm.Sm2)]
    public async Task SampleSealsSignBaselineTAndVerifyAgainstTheCommittedRoot(string sealId, SealKeyAlgorithm algorithm)
    {
        var pki = new DevPki(CertsDev);
        using var store = new FileSealKeyStore(new FileKeyStoreOptions { Directory = CertsDev, Passphrase = DevPki.DefaultPassphrase }, pki.CreateTimeStampAuthority());
        var key = await store.GetAsync("seals/" + sealId);
        using var hasher = key.Creator.CreateHasher();
        hasher.Append("committed material"u8);
        var digest = hasher.Finish();

        var cms = await key.Creator.CreateAsync(digest, PadesLevel.BaselineT);
        var result = TestCms.Verifier(pki.RootCertificate, requireTimestamp: true).Verify(cms, digest);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(algorithm, result.Algorithm);
        Assert.Contains(DevPki.DevelopmentMarker, result.SignerSubject);
        // Against the material's own dates, not today's: the seal certificate lies within its issuer's validity and
        // was issued for years, and the time-stamp just taken falls inside it (the verifier checked the chain then).
        Assert.InRange(key.Certificate.NotBefore, pki.IssuingCertificate.NotBefore, pki.IssuingCertificate.NotAfter);
        Assert.InRange(key.Certificate.NotAfter, key.Certificate.NotBefore.AddYears(4), pki.IssuingCertificate.NotAfter);
        Assert.InRange(result.TimestampTime!.Value.UtcDateTime, key.Certificate.NotBefore, key.Certificate.NotAfter);
    }

    [Fact]
    public void RootPemIsTheRootOfTheIssuingCa()
    {
        var pki = new DevPki(CertsDev);
        pki.IssuingCertificate.Verify(pki.RootCertificate.GetPublicKey());
        Assert.Equal(0, pki.IssuingCertificate.GetBasicConstraints());
        Assert.True(pki.RootCertificate.GetBasicConstraints() >= 0);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SealService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SealService.sln not found above the test output.");
    }
}
