using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.X509;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;
using SealService.Keys.Verification;
using SealService.TestSupport;

namespace SealService.Keys.Tests;

/// <summary>Helpers to build signatures and take them apart.</summary>
internal static class TestCms
{
    public static CadesSignatureCreator Creator(PkiFixture pki, SealKeyAlgorithm algorithm, ITimeStampAuthority? tsa = null, KeySource source = KeySource.File) =>
        new(pki.Signer(algorithm, source), tsa);

    /// <summary>Every seal key a signing test runs with: each algorithm from a file, RSA and ECDSA also from the token.</summary>
    public static TheoryData<SealKeyAlgorithm, KeySource> Keys => new()
    {
        { SealKeyAlgorithm.Rsa, KeySource.File },
        { SealKeyAlgorithm.Ecdsa, KeySource.File },
        { SealKeyAlgorithm.Sm2, KeySource.File },
        { SealKeyAlgorithm.Rsa, KeySource.Pkcs11 },
        { SealKeyAlgorithm.Ecdsa, KeySource.Pkcs11 },
    };

    public static CmsSignatureVerifier Verifier(X509Certificate root, bool requireTimestamp = false, string? sm2Id = null) => new(new CmsVerificationOptions
    {
        TrustedRoots = [root],
        RequireTimestamp = requireTimestamp,
        Sm2DistinguishingId = sm2Id ?? Signing.Sm2.DefaultId,
    });

    public static SignerInfo Signer(byte[] cms) =>
        SignerInfo.GetInstance(SignedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).Content).SignerInfos[0]);

    public static byte[] WithSigner(byte[] cms, SignerInfo signer)
    {
        var info = ContentInfo.GetInstance(Asn1Object.FromByteArray(cms));
        var data = SignedData.GetInstance(info.Content);
        var replaced = new SignedData(data.DigestAlgorithms, data.EncapContentInfo, data.Certificates, data.CRLs, new DerSet(signer));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, replaced).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Index of the first occurrence of <paramref name="needle"/> in <paramref name="haystack"/>.</summary>
    public static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
