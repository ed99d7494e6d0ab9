using SealService.Keys.Pki;
using SealService.Keys.Signing;

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
        using var key = SoftwareSigner.FromPkcs12(pki.SealPath(algorithm), DevPki.DefaultPassphrase);
        var data = "tree head 42"u8.ToArray();

        var signature = key.SignData(data);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(RawSignatures.Verify(key.Certificate, data, signature));
        data[0] ^= 1;
        Assert.False(RawSignatures.Verify(key.Certificate, data, signature));
    }

    [Fact]
    public async Task Sm2SignedFromItsDigestVerifiesWithBouncyCastlesOwnSm2Signer()
    {
        using var key = SoftwareSigner.FromPkcs12(pki.SealPath(SealKeyAlgorithm.Sm2), DevPki.DefaultPassphrase);
        var message = "审批专用章"u8.ToArray();
        for (var i = 0; i < 20; i++)
        {
            var signature = await key.SignDigestAsync(SignatureDigest.Of(key, message));
            Assert.True(Sm2.Verify((Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters)key.Certificate.GetPublicKey(), message, signature));
            Assert.False(Sm2.Verify((Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters)key.Certificate.GetPublicKey(), message, signature, "another-id"));
        }
    }

    [Fact]
    public async Task ADigestOfTheWrongLengthIsRefused()
    {
        using var key = SoftwareSigner.FromPkcs12(pki.SealPath(SealKeyAlgorithm.Rsa), DevPki.DefaultPassphrase);
        var ex = await Assert.ThrowsAsync<KeysException>(async () => await key.SignDigestAsync(new byte[20]));
        Assert.Equal(KeyErrorCodes.DigestInvalid, ex.Code);
    }

    [Fact]
    public void LedgerKeyIsInTheDevPki()
    {
        using var key = SoftwareSigner.FromPkcs12(Path.Combine(pki.Directory, DevPki.LedgerFile + ".p12"), DevPki.DefaultPassphrase);
        var signature = key.SignData("ledger"u8);
        Assert.True(RawSignatures.Verify(key.Certificate, "ledger"u8, signature));
        Assert.Equal(pki.Pki.IssuingCertificate, key.Chain[0]);
    }

    [Fact]
    public void TheKeyStoreHandsOutNoPrivateKey()
    {
        // The port's types carry signers only: no public member anywhere in them returns key material.
        var publicTypes = new[] { typeof(Store.SealKey), typeof(SoftwareSigner), typeof(IRawSigner), typeof(Store.Pkcs12Content) };
        foreach (var type in publicTypes)
        {
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                Assert.False(typeof(Org.BouncyCastle.Crypto.AsymmetricKeyParameter).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
                Assert.False(typeof(System.Security.Cryptography.AsymmetricAlgorithm).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
            }
        }
    }
}
