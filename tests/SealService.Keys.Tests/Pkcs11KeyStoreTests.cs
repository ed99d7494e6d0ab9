using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using SealService.Keys.Pkcs11;
using SealService.Keys.Signing;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>Seal keys inside a real SoftHSM2 token: generated there, never exported, signing through pooled sessions.</summary>
[Collection(PkiCollection.Name)]
public sealed class Pkcs11KeyStoreTests(PkiFixture pki)
{
    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa)]
    [InlineData(SealKeyAlgorithm.Ecdsa)]
    public async Task TheTokensKeyIsSensitiveAndCannotBeReadOrExported(SealKeyAlgorithm algorithm)
    {
        var reference = "seals/" + pki.TokenSealId(algorithm);
        _ = await pki.TokenStore.GetAsync(reference);

        var (sensitive, extractable, secret) = pki.TokenStore.Token.RunReadWrite(session =>
        {
            var key = session.FindAllObjects([
                Pkcs11Token.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                Pkcs11Token.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, reference)]).Single();
            var flags = session.GetAttributeValue(key, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
            var secretPart = session.GetAttributeValue(key, [algorithm == SealKeyAlgorithm.Rsa ? CKA.CKA_PRIVATE_EXPONENT : CKA.CKA_VALUE])[0];
            return (flags[0].GetValueAsBool(), flags[1].GetValueAsBool(), secretPart);
        });

        Assert.True(sensitive);
        Assert.False(extractable);
        Assert.True(secret.CannotBeRead, "the token handed out the private key's secret part");
    }

    [Fact]
    public void WrappingTheKeyOutOfTheTokenIsRefused()
    {
        var reference = "seals/" + pki.TokenSealId(SealKeyAlgorithm.Rsa);
        var refused = Assert.Throws<KeysException>(() => pki.TokenStore.Token.RunReadWrite(session =>
        {
            var f = Pkcs11Token.Factories;
            var key = session.FindAllObjects([f.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.ObjectAttributeFactory.Create(CKA.CKA_LABEL, reference)]).Single();
            var wrapping = session.GenerateKey(f.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), [
                f.ObjectAttributeFactory.Create(CKA.CKA_VALUE_LEN, 32UL), f.ObjectAttributeFactory.Create(CKA.CKA_WRAP, true),
                f.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, false)]);
            return session.WrapKey(f.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD), wrapping, key);
        }));
        Assert.Equal(KeyErrorCodes.TokenOperationFailed, refused.Code);
        Assert.Contains("CKR_KEY_UNEXTRACTABLE", refused.Message);
    }

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa)]
    [InlineData(SealKeyAlgorithm.Ecdsa)]
    public async Task ManyConcurrentSignaturesShareTwoSessions(SealKeyAlgorithm algorithm)
    {
        using var store = new Pkcs11SealKeyStore(PkiFixture.TokenOptions(maxSessions: 2), null);
        var key = await store.GetAsync("seals/" + pki.TokenSealId(algorithm));
        var data = Enumerable.Range(0, 32).Select(i => RandomNumberGenerator.GetBytes(100 + i)).ToArray();

        var signatures = await Task.WhenAll(data.Select(d => Task.Run(async () => await key.Signer.SignDataAsync(d))));

        for (var i = 0; i < data.Length; i++)
        {
            Assert.True(RawSignatures.Verify(key.Certificate, data[i], signatures[i]), $"signature {i}");
        }

        Assert.Equal(algorithm, key.Signer.Algorithm);
        Assert.Equal(pki.Pki.IssuingCertificate, key.Chain[0]);
        Assert.Equal(pki.Pki.RootCertificate, key.Chain[^1]);
    }

    [Fact]
    public async Task AWrongPinIsATokenErrorThatDoesNotRepeatThePin()
    {
        var options = PkiFixture.TokenOptions(pin: "999999");
        options.TokenLabel = SoftHsm.SpareTokenLabel;
        using var store = new Pkcs11SealKeyStore(options, null);
        var ex = await Assert.ThrowsAsync<KeysException>(() => store.GetAsync("seals/" + pki.TokenSealId(SealKeyAlgorithm.Rsa)));
        Assert.Equal(KeyErrorCodes.TokenUnavailable, ex.Code);
        Assert.Contains("CKR_PIN_INCORRECT", ex.Message);
        Assert.DoesNotContain("999999", ex.Message);
        Assert.NotNull(await store.ProblemAsync());
    }

    [Fact]
    public async Task APinFileWorksAndAnUnknownKeyOrTokenIsNamed()
    {
        var pinFile = Path.Combine(pki.Directory, "token.pin");
        File.WriteAllText(pinFile, SoftHsm.UserPin + "\n");
        var options = PkiFixture.TokenOptions(pin: null);
        options.PinFile = pinFile;
        using var store = new Pkcs11SealKeyStore(options, null);
        Assert.Null(await store.ProblemAsync());
        var missing = await Assert.ThrowsAsync<KeysException>(() => store.GetAsync("seals/no-such-seal"));
        Assert.Equal(KeyErrorCodes.KeyNotFound, missing.Code);

        var other = PkiFixture.TokenOptions();
        other.TokenLabel = "no-such-token";
        using var nowhere = new Pkcs11SealKeyStore(other, null);
        Assert.Contains("no-such-token", await nowhere.ProblemAsync());
    }

    [Fact]
    public async Task KeysCanBeFoundByIdAsWell()
    {
        var options = PkiFixture.TokenOptions();
        options.Match = Pkcs11KeyMatch.Id;
        using var store = new Pkcs11SealKeyStore(options, null);
        var key = await store.GetAsync("seals/" + pki.TokenSealId(SealKeyAlgorithm.Ecdsa));
        var signature = await key.Signer.SignDataAsync("by id"u8.ToArray());
        Assert.True(RawSignatures.Verify(key.Certificate, "by id"u8, signature));
    }

    [Fact]
    public void Sm2AndDuplicateKeysAreRefusedAtGeneration()
    {
        var sm2 = Assert.Throws<KeysException>(() => Pkcs11KeyAdmin.GenerateKeyPair(pki.TokenStore.Token, "seals/sm2-in-token", SealKeyAlgorithm.Sm2));
        Assert.Equal(KeyErrorCodes.KeyAlgorithmUnsupported, sm2.Code);
        var again = Assert.Throws<KeysException>(() => Pkcs11KeyAdmin.GenerateKeyPair(pki.TokenStore.Token, "seals/" + pki.TokenSealId(SealKeyAlgorithm.Rsa), SealKeyAlgorithm.Rsa));
        Assert.Equal(KeyErrorCodes.KeyExists, again.Code);
    }
}
