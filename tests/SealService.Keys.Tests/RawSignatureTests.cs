using SealService.Keys.Crypto;
using SealService.Keys.Pki;
using SealService.Keys.Store;

namespace SealService.Keys.Tests;

[Collection(PkiCollection.Name)]
public sealed class RawSignatureTests(PkiFixture pki)
{
    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa)]
    [InlineData(SealKeyAlgorithm.Ecdsa)]
    [InlineData(SealKeyAlgorithm.Sm2)]
    public void RawSignaturesVerifyAndDetectChanges(SealKeyAlgorithm algorithm)
    {
        var content = Pkcs12Files.Load(pki.SealPath(algorithm), DevPki.DefaultPassphrase);
        using var key = SigningKey.FromPrivateKey(content.PrivateKey);
        var data = "tree head 42"u8.ToArray();

        var signature = key.Sign(data);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(SigningKey.Verify(content.Certificate, data, signature));
        data[0] ^= 1;
        Assert.False(SigningKey.Verify(content.Certificate, data, signature));
    }

    [Fact]
    public void LedgerKeyIsInTheDevPki()
    {
        var ledger = pki.Pki.LoadRequired(DevPki.LedgerFile);
        using var key = SigningKey.FromPrivateKey(ledger.PrivateKey);
        var signature = key.Sign("ledger"u8);
        Assert.True(SigningKey.Verify(ledger.Certificate, "ledger"u8, signature));
        Assert.Equal(pki.Pki.IssuingCertificate, ledger.Chain[0]);
    }
}
