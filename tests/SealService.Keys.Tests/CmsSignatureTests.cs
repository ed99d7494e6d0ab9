using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using SealService.Keys.Cms;
using SealService.Keys.Crypto;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.TestSupport;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace SealService.Keys.Tests;

[Collection(PkiCollection.Name)]
public sealed class CmsSignatureTests(PkiFixture pki)
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(20_000);

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task EachAlgorithmSignsAndVerifies(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var cms = await creator.CreateAsync(Digest(creator, Content), PadesLevel.BaselineB);

        var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(cms, Digest(creator, Content));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(algorithm, result.Algorithm);
        Assert.Equal(PkiFixture.SealText, result.SignerCommonName);
        Assert.Contains(DevPki.DevelopmentMarker, result.SignerSubject);
        Assert.False(result.HasTimestamp);
    }

    [Fact]
    public async Task ARememberedChainDoesNotTrustAnotherPkiWithTheSameNames()
    {
        // A second dev PKI: the same root, CA and seal names, other keys.
        var otherDir = Path.Combine(Path.GetTempPath(), "sealservice-keys-other-" + Guid.NewGuid().ToString("N"));
        try
        {
            var other = DevPki.Init(otherDir);
            var otherSeal = other.IssueSealCertificate("seal-other", PkiFixture.SealText, PkiFixture.Organisation, SealKeyAlgorithm.Rsa);
            var ours = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
            var theirs = CadesSignatureCreator.FromPkcs12(otherSeal, DevPki.DefaultPassphrase, tsa: null);
            Assert.Equal(ours.SignerCertificate.IssuerDN.ToString(), theirs.SignerCertificate.IssuerDN.ToString());

            for (var round = 0; round < 2; round++)
            {
                var good = TestCms.Verifier(pki.Pki.RootCertificate).Verify(await ours.CreateAsync(Digest(ours, Content), PadesLevel.BaselineB), Digest(ours, Content));
                Assert.True(good.IsValid, string.Join("; ", good.Errors));
                var foreign = TestCms.Verifier(pki.Pki.RootCertificate).Verify(await theirs.CreateAsync(Digest(theirs, Content), PadesLevel.BaselineB), Digest(theirs, Content));
                Assert.True(foreign.HasError(VerificationCodes.ChainUntrusted), string.Join("; ", foreign.Errors));
                Assert.True(TestCms.Verifier(other.RootCertificate).Verify(await theirs.CreateAsync(Digest(theirs, Content), PadesLevel.BaselineB), Digest(theirs, Content)).IsValid);
            }
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task VerifierHasherMatchesTheSignersHash(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var cms = await creator.CreateAsync(Digest(creator, Content), PadesLevel.BaselineB);

        using var hasher = CmsSignatureVerifier.CreateHasher(cms);
        Assert.IsType(algorithm == SealKeyAlgorithm.Sm2 ? typeof(Sm3ContentHasher) : typeof(Sha256ContentHasher), hasher);
        hasher.Append(Content.AsSpan(0, 7000));
        hasher.Append(Content.AsSpan(7000));
        Assert.True(TestCms.Verifier(pki.Pki.RootCertificate).Verify(cms, hasher).IsValid);
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task AFlippedContentByteFailsTheDigestCheck(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var cms = await creator.CreateAsync(Digest(creator, Content), PadesLevel.BaselineB);
        var changed = (byte[])Content.Clone();
        changed[12_345] ^= 0x04;

        var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(cms, Digest(creator, changed));

        Assert.False(result.IsValid);
        Assert.Equal([VerificationCodes.MessageDigestMismatch], result.Errors.Select(e => e.Code));
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task AFlippedByteInTheSignatureValueOrSignedAttributesFails(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var digest = Digest(creator, Content);
        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineB);
        var verifier = TestCms.Verifier(pki.Pki.RootCertificate);

        var inSignature = (byte[])cms.Clone();
        var signature = TestCms.Signer(cms).Signature.GetOctets();
        inSignature[TestCms.IndexOf(cms, signature) + (signature.Length / 2)] ^= 0x01;
        Assert.True(verifier.Verify(inSignature, digest).HasError(VerificationCodes.SignatureInvalid));

        // The message-digest value inside the signed attributes: the signature no longer covers them.
        var inAttributes = (byte[])cms.Clone();
        inAttributes[TestCms.IndexOf(cms, digest) + 3] ^= 0x01;
        var result = verifier.Verify(inAttributes, digest);
        Assert.True(result.HasError(VerificationCodes.SignatureInvalid));
        Assert.True(result.HasError(VerificationCodes.MessageDigestMismatch));
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task SignedAttributesAreExactlyContentTypeMessageDigestAndSigningCertificateV2(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var digest = Digest(creator, Content);
        var signer = TestCms.Signer(await creator.CreateAsync(digest, PadesLevel.BaselineB));

        var oids = signer.SignedAttrs.Cast<Org.BouncyCastle.Asn1.Asn1Encodable>()
            .Select(a => Org.BouncyCastle.Asn1.Cms.Attribute.GetInstance(a).AttrType.Id).Order().ToList();
        Assert.Equal(
            new[] { CmsAttributes.ContentType.Id, CmsAttributes.MessageDigest.Id, PkcsObjectIdentifiers.IdAASigningCertificateV2.Id }.Order(),
            oids);
        Assert.Null(new AttributeTable(signer.SignedAttrs)[CmsAttributes.SigningTime]);
        Assert.Null(signer.UnsignedAttrs);
        var messageDigest = new AttributeTable(signer.SignedAttrs)[CmsAttributes.MessageDigest].AttrValues[0];
        Assert.Equal(digest, Org.BouncyCastle.Asn1.Asn1OctetString.GetInstance(messageDigest).GetOctets());
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task CmsEmbedsSignerAndIssuingCaButNotTheRoot(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var cms = new CmsSignedData(await creator.CreateAsync(Digest(creator, Content), PadesLevel.BaselineB));
        var certificates = cms.GetCertificates().EnumerateMatches(null).ToList();

        Assert.Equal(2, certificates.Count);
        Assert.Contains(creator.SignerCertificate, certificates);
        Assert.Contains(pki.Pki.IssuingCertificate, certificates);
    }

    [Theory]
    [InlineData(SealKeyAlgorithm.Rsa, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Ecdsa, KeySource.File)]
    [InlineData(SealKeyAlgorithm.Rsa, KeySource.Pkcs11)]
    [InlineData(SealKeyAlgorithm.Ecdsa, KeySource.Pkcs11)]
    public async Task BouncyCastlesOwnCmsVerifierAcceptsRsaAndEcdsa(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var digest = Digest(creator, Content);
        var cms = new CmsSignedData(
            new Dictionary<string, byte[]> { [Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256.Id] = digest },
            await creator.CreateAsync(digest, PadesLevel.BaselineB));
        var signer = cms.GetSignerInfos().GetSigners().Single();

        Assert.True(signer.Verify(creator.SignerCertificate));
    }

    [Theory]
    [MemberData(nameof(TestCms.Keys), MemberType = typeof(TestCms))]
    public async Task OneCreatorSignsInParallel(SealKeyAlgorithm algorithm, KeySource source)
    {
        var creator = TestCms.Creator(pki, algorithm, source: source);
        var verifier = TestCms.Verifier(pki.Pki.RootCertificate);
        var contents = Enumerable.Range(0, 24).Select(i => RandomNumberGenerator.GetBytes(100 + i)).ToList();

        var signatures = await Task.WhenAll(contents.Select(c => Task.Run(() => creator.CreateAsync(Digest(creator, c), PadesLevel.BaselineB))));

        for (var i = 0; i < contents.Count; i++)
        {
            Assert.True(verifier.Verify(signatures[i], Digest(creator, contents[i])).IsValid);
        }
    }

    [Fact]
    public async Task AForeignRootDoesNotValidateTheChain()
    {
        var foreignDir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var foreign = DevPki.Init(foreignDir);
            var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
            var cms = await creator.CreateAsync(Digest(creator, Content), PadesLevel.BaselineB);

            var result = TestCms.Verifier(foreign.RootCertificate).Verify(cms, Digest(creator, Content));

            Assert.Equal([VerificationCodes.ChainUntrusted], result.Errors.Select(e => e.Code));
        }
        finally
        {
            Directory.Delete(foreignDir, true);
        }
    }

    [Fact]
    public async Task Sm2VerificationDependsOnTheDistinguishingId()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Sm2);
        var digest = Digest(creator, Content);
        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineB);

        Assert.True(TestCms.Verifier(pki.Pki.RootCertificate, sm2Id: "1234567812345678").Verify(cms, digest).IsValid);
        var other = TestCms.Verifier(pki.Pki.RootCertificate, sm2Id: "ALICE123@YAHOO.COM").Verify(cms, digest);
        Assert.Equal([VerificationCodes.SignatureInvalid], other.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task Sm2SignatureUsesSm3AndGmOids()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Sm2);
        var digest = Digest(creator, Content);
        var signer = TestCms.Signer(await creator.CreateAsync(digest, PadesLevel.BaselineB));

        Assert.Equal("1.2.156.10197.1.401", signer.DigestAlgorithm.Algorithm.Id);
        Assert.Equal("1.2.156.10197.1.301.1", signer.SignatureAlgorithm.Algorithm.Id);
        Assert.Equal(new Org.BouncyCastle.Crypto.Digests.SM3Digest().GetDigestSize(), digest.Length);
        Assert.NotEqual(SHA256.HashData(Content), digest);
    }

    [Fact]
    public async Task AnAllSm2ChainVerifies()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var sm2Pki = DevPki.Init(dir, SealKeyAlgorithm.Sm2);
            var path = sm2Pki.IssueSealCertificate("seal-sm2-chain", PkiFixture.SealText, PkiFixture.Organisation, SealKeyAlgorithm.Sm2);
            var creator = Cms.CadesSignatureCreator.FromPkcs12(path, DevPki.DefaultPassphrase, sm2Pki.CreateTimeStampAuthority());
            var digest = Digest(creator, Content);
            var cms = await creator.CreateAsync(digest, PadesLevel.BaselineT);

            var result = TestCms.Verifier(sm2Pki.RootCertificate, requireTimestamp: true).Verify(cms, digest);

            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            Assert.Equal("1.2.156.10197.1.501", sm2Pki.RootCertificate.SigAlgOid);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task ASigningTimeAttributeIsRejectedUnderPadesBaseline()
    {
        // BouncyCastle's own generator adds signing-time and no signing-certificate-v2: plain CMS, not PAdES baseline.
        var content = Store.Pkcs12Files.Load(pki.SealPath(SealKeyAlgorithm.Rsa), DevPki.DefaultPassphrase);
        var generator = new CmsSignedDataGenerator();
        generator.AddSigner(content.PrivateKey, content.Certificate, CmsSignedGenerator.DigestSha256);
        generator.AddCertificates(Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(content.Intermediates.Prepend(content.Certificate).ToList()));
        var cms = generator.Generate(new CmsProcessableByteArray(Content), false).GetEncoded();

        var strict = TestCms.Verifier(pki.Pki.RootCertificate).Verify(cms, SHA256.HashData(Content));
        var lenient = new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = [pki.Pki.RootCertificate], EnforcePadesBaseline = false })
            .Verify(cms, SHA256.HashData(Content));

        Assert.Equal(
            new[] { VerificationCodes.SigningTimePresent, VerificationCodes.SigningCertificateMissing }.Order(),
            strict.Errors.Select(e => e.Code).Order());
        Assert.True(lenient.IsValid, string.Join("; ", lenient.Errors));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task PdfContentsZeroPaddingIsIgnored()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
        var digest = Digest(creator, Content);
        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineB);
        var padded = new byte[creator.MaxSignatureSize];
        cms.CopyTo(padded, 0);

        Assert.True(TestCms.Verifier(pki.Pki.RootCertificate).Verify(padded, digest).IsValid);
    }

    [Fact]
    public async Task GarbageIsReportedAsMalformed()
    {
        var result = TestCms.Verifier(pki.Pki.RootCertificate).Verify(RandomNumberGenerator.GetBytes(300), new byte[32]);
        Assert.Equal([VerificationCodes.Malformed], result.Errors.Select(e => e.Code));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task DamagedCmsNeverThrowsAndTruncationNeverVerifies()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Ecdsa, pki.Pki.CreateTimeStampAuthority());
        var digest = Digest(creator, Content);
        var cms = await creator.CreateAsync(digest, PadesLevel.BaselineT);
        var verifier = TestCms.Verifier(pki.Pki.RootCertificate);

        for (var length = 0; length < cms.Length; length += 41)
        {
            Assert.False(verifier.Verify(cms.AsSpan(0, length), digest).IsValid);
        }

        for (var i = 0; i < cms.Length; i += 7)
        {
            var damaged = (byte[])cms.Clone();
            damaged[i] ^= (byte)(i % 2 == 0 ? 0x5A : 0x01);
            _ = verifier.Verify(damaged, digest);
        }
    }

    [Fact]
    public async Task AWrongSizedDigestIsRefused()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
        var ex = await Assert.ThrowsAsync<KeysException>(() => creator.CreateAsync(new byte[20], PadesLevel.BaselineB));
        Assert.Equal(KeyErrorCodes.DigestInvalid, ex.Code);
    }

    [Fact]
    public async Task BaselineTWithoutTsaIsRefused()
    {
        var creator = TestCms.Creator(pki, SealKeyAlgorithm.Rsa);
        var ex = await Assert.ThrowsAsync<KeysException>(() => creator.CreateAsync(new byte[32], PadesLevel.BaselineT));
        Assert.Equal(KeyErrorCodes.TsaNotConfigured, ex.Code);
    }

    private static byte[] Digest(Cms.CadesSignatureCreator creator, byte[] content)
    {
        using var hasher = creator.CreateHasher();
        hasher.Append(content);
        return hasher.Finish();
    }
}
