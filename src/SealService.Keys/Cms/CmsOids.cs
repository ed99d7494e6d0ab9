using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace SealService.Keys.Cms;

/// <summary>Algorithm identifiers written into SignerInfo, per key algorithm.</summary>
internal static class CmsOids
{
    public static AlgorithmIdentifier DigestAlgorithm(SealKeyAlgorithm algorithm) => algorithm == SealKeyAlgorithm.Sm2
        ? new AlgorithmIdentifier(GMObjectIdentifiers.sm3)
        : new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256);

    /// <summary>
    /// RSA: rsaEncryption (what PDF signers commonly write; poppler/NSS accept it); ECDSA:
    /// ecdsa-with-SHA256; SM2: sm2-1 (1.2.156.10197.1.301.1) as GM/T 0010 prescribes.
    /// </summary>
    public static AlgorithmIdentifier SignatureAlgorithm(SealKeyAlgorithm algorithm) => algorithm switch
    {
        SealKeyAlgorithm.Rsa => new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
        SealKeyAlgorithm.Ecdsa => new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256),
        _ => new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign),
    };

    public static int DigestLength => 32;
}
