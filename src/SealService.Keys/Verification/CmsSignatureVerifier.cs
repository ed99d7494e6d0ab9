using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using SealService.Keys.Crypto;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using CmsContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;
using RsassaPssParameters = Org.BouncyCastle.Asn1.Pkcs.RsassaPssParameters;

namespace SealService.Keys.Verification;

/// <summary>
/// Our own BouncyCastle-based check of a detached CMS signature (the judge for SM2, which
/// poppler and OpenSSL cannot check): signature value, message-digest, signing-certificate-v2,
/// chain to the trusted roots, and the RFC 3161 signature time-stamp when present.
/// Every check runs and reports; the result is valid only if none failed.
/// </summary>
public sealed partial class CmsSignatureVerifier(CmsVerificationOptions options)
{
    /// <summary>Largest CMS accepted (PDF /Contents are far smaller).</summary>
    public const int MaxCmsSize = 1 << 20;

    /// <summary>The hasher a caller must feed with the signed bytes (SHA-256 or SM3, from the CMS).</summary>
    public static IContentHasher CreateHasher(ReadOnlySpan<byte> cms)
    {
        SignedData signedData;
        try
        {
            signedData = ReadSignedData(cms);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new KeysException(VerificationCodes.Malformed, $"Not a CMS SignedData: {ex.Message}", ex);
        }

        var signer = signedData.SignerInfos.Count > 0
            ? SignerInfo.GetInstance(signedData.SignerInfos[0])
            : throw new KeysException(VerificationCodes.SignerCount, "The CMS has no signer.");
        var digest = signer.DigestAlgorithm.Algorithm;
        return digest.Equals(GMObjectIdentifiers.sm3) ? new Sm3ContentHasher()
            : digest.Equals(NistObjectIdentifiers.IdSha256) ? new Sha256ContentHasher()
            : digest.Equals(NistObjectIdentifiers.IdSha384) ? new IncrementalContentHasher(System.Security.Cryptography.HashAlgorithmName.SHA384)
            : digest.Equals(NistObjectIdentifiers.IdSha512) ? new IncrementalContentHasher(System.Security.Cryptography.HashAlgorithmName.SHA512)
            : digest.Equals(OiwObjectIdentifiers.IdSha1) ? new IncrementalContentHasher(System.Security.Cryptography.HashAlgorithmName.SHA1)
            : throw new KeysException(VerificationCodes.AlgorithmUnsupported, $"Unsupported digest algorithm {digest}.");
    }

    /// <summary>Verifies with a hasher that was fed the signed bytes (it is finished here).</summary>
    public CmsVerificationResult Verify(ReadOnlySpan<byte> cms, IContentHasher fedHasher) => Verify(cms, fedHasher.Finish());

    /// <summary>Verifies with a fed hasher; <paramref name="padesBaseline"/> overrides the options (false for adbe.pkcs7.detached).</summary>
    public CmsVerificationResult Verify(ReadOnlySpan<byte> cms, IContentHasher fedHasher, bool padesBaseline) =>
        Verify(cms, fedHasher.Finish(), padesBaseline);

    public CmsVerificationResult Verify(ReadOnlySpan<byte> cms, ReadOnlySpan<byte> contentDigest) => Verify(cms, contentDigest, options.EnforcePadesBaseline);

    public CmsVerificationResult Verify(ReadOnlySpan<byte> cms, ReadOnlySpan<byte> contentDigest, bool padesBaseline)
    {
        try
        {
            return VerifyCore(cms, contentDigest, padesBaseline);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            return Fail([], VerificationCodes.Malformed, $"The CMS structure is damaged: {ex.Message}");
        }
    }

    /// <summary>Parse and decode failures of damaged input (BouncyCastle raises many kinds).</summary>
    private static bool IsMalformed(Exception ex) => ex is IOException or ArgumentException or InvalidCastException
        or InvalidOperationException or FormatException or IndexOutOfRangeException
        || ex.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true;

    private CmsVerificationResult VerifyCore(ReadOnlySpan<byte> cms, ReadOnlySpan<byte> contentDigest, bool padesBaseline)
    {
        var errors = new List<VerificationError>();
        SignedData signedData;
        SignerInfo signer;
        try
        {
            signedData = ReadSignedData(cms);
            if (signedData.SignerInfos.Count != 1)
            {
                return Fail(errors, VerificationCodes.SignerCount, $"Expected one signer, found {signedData.SignerInfos.Count}.");
            }

            signer = SignerInfo.GetInstance(signedData.SignerInfos[0]);
        }
        catch (KeysException ex)
        {
            return Fail(errors, ex.Code, ex.Message);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            return Fail(errors, VerificationCodes.Malformed, $"Not a CMS SignedData: {ex.Message}");
        }

        if (signedData.EncapContentInfo.Content is not null)
        {
            errors.Add(new(VerificationCodes.NotDetached, "The CMS carries its content; a PDF signature must be detached."));
        }

        var scheme = SchemeOf(signer);
        var algorithm = scheme?.Family;
        if (scheme is null)
        {
            return Fail(errors, VerificationCodes.AlgorithmUnsupported, $"Unsupported algorithms: digest {signer.DigestAlgorithm.Algorithm}, signature {signer.SignatureAlgorithm.Algorithm}.");
        }

        // SHA-1 collisions are practical: such a signature is checked and reported, never taken as sound.
        if (signer.DigestAlgorithm.Algorithm.Equals(OiwObjectIdentifiers.IdSha1))
        {
            errors.Add(new(VerificationCodes.AlgorithmWeak, "The signature uses SHA-1, which is no longer collision resistant."));
        }

        var certificates = ReadCertificates(signedData);
        var signerCert = certificates.FirstOrDefault(c => Matches(signer.SignerID, c));
        if (signerCert is null)
        {
            return Fail(errors, VerificationCodes.SignerCertificateMissing, "The signer's certificate is not in the CMS.", algorithm);
        }

        CheckSignedAttributes(signer, contentDigest, signerCert, errors, padesBaseline);
        CheckSignatureValue(signer, signerCert, scheme.Value, contentDigest, errors);

        var (timestampTime, tsaCert) = CheckTimestamp(signer, certificates, errors);
        var at = timestampTime ?? options.ValidationTime ?? DateTimeOffset.UtcNow;
        CheckChain(signerCert, certificates, at, errors, VerificationCodes.ChainUntrusted);
        CheckKeyUsage(signerCert, errors);

        return new CmsVerificationResult(errors, algorithm, signerCert, timestampTime, tsaCert);
    }

    private static CmsVerificationResult Fail(List<VerificationError> errors, string code, string message, SealKeyAlgorithm? algorithm = null)
    {
        errors.Add(new(code, message));
        return new CmsVerificationResult(errors, algorithm, null, null, null);
    }

    private static SignedData ReadSignedData(ReadOnlySpan<byte> cms)
    {
        if (cms.Length is 0 or > MaxCmsSize)
        {
            throw new KeysException(VerificationCodes.Malformed, $"CMS size must be 1..{MaxCmsSize} bytes.");
        }

        // One object is read, so the zero padding of a PDF /Contents after it is ignored.
        using var input = new Asn1InputStream(cms.ToArray());
        var info = CmsContentInfo.GetInstance(input.ReadObject()
            ?? throw new KeysException(VerificationCodes.Malformed, "Empty CMS."));
        if (!info.ContentType.Equals(CmsObjectIdentifiers.SignedData))
        {
            throw new KeysException(VerificationCodes.Malformed, $"Content type is {info.ContentType}, not signedData.");
        }

        return SignedData.GetInstance(info.Content);
    }

    private static List<X509Certificate> ReadCertificates(SignedData signedData)
    {
        var list = new List<X509Certificate>();
        if (signedData.Certificates is null)
        {
            return list;
        }

        foreach (var item in signedData.Certificates)
        {
            if (item.ToAsn1Object() is Asn1Sequence sequence)
            {
                list.Add(CertificateCache.Get(sequence.GetEncoded(Asn1Encodable.Der)));
            }
        }

        return list;
    }

    /// <summary>How a signer's value is checked: the key family, and BouncyCastle's signer (null for SM2 and PSS, built by hand).</summary>
    private readonly record struct Scheme(SealKeyAlgorithm Family, string? SignerName, RsassaPssParameters? Pss);

    /// <summary>RSA PKCS#1 v1.5 and PSS, ECDSA with SHA-256/384/512; SM2 with SM3.</summary>
    private static Scheme? SchemeOf(SignerInfo signer)
    {
        var digest = signer.DigestAlgorithm.Algorithm;
        var signature = signer.SignatureAlgorithm.Algorithm;
        if (digest.Equals(GMObjectIdentifiers.sm3))
        {
            return signature.Equals(GMObjectIdentifiers.sm2sign) || signature.Equals(GMObjectIdentifiers.sm2sign_with_sm3)
                ? new Scheme(SealKeyAlgorithm.Sm2, null, null)
                : null;
        }

        var bits = digest.Equals(NistObjectIdentifiers.IdSha256) ? "256"
            : digest.Equals(OiwObjectIdentifiers.IdSha1) ? "1"
            : digest.Equals(NistObjectIdentifiers.IdSha384) ? "384"
            : digest.Equals(NistObjectIdentifiers.IdSha512) ? "512"
            : null;
        if (bits is null)
        {
            return null;
        }

        if (signature.Equals(PkcsObjectIdentifiers.RsaEncryption) || signature.Equals(RsaWith(bits)))
        {
            return new Scheme(SealKeyAlgorithm.Rsa, $"SHA{bits}WITHRSA", null);
        }

        if (signature.Equals(PkcsObjectIdentifiers.IdRsassaPss))
        {
            var pss = RsassaPssParameters.GetInstance(signer.SignatureAlgorithm.Parameters);
            return pss.HashAlgorithm.Algorithm.Equals(digest) ? new Scheme(SealKeyAlgorithm.Rsa, null, pss) : null;
        }

        if (signature.Equals(X9ObjectIdentifiers.IdECPublicKey) || signature.Equals(EcdsaWith(bits)))
        {
            return new Scheme(SealKeyAlgorithm.Ecdsa, $"SHA{bits}WITHECDSA", null);
        }

        return null;
    }

    private static DerObjectIdentifier RsaWith(string bits) => bits switch
    {
        "1" => PkcsObjectIdentifiers.Sha1WithRsaEncryption,
        "256" => PkcsObjectIdentifiers.Sha256WithRsaEncryption,
        "384" => PkcsObjectIdentifiers.Sha384WithRsaEncryption,
        _ => PkcsObjectIdentifiers.Sha512WithRsaEncryption,
    };

    private static DerObjectIdentifier EcdsaWith(string bits) => bits switch
    {
        "1" => X9ObjectIdentifiers.ECDsaWithSha1,
        "256" => X9ObjectIdentifiers.ECDsaWithSha256,
        "384" => X9ObjectIdentifiers.ECDsaWithSha384,
        _ => X9ObjectIdentifiers.ECDsaWithSha512,
    };

    private static bool Matches(SignerIdentifier id, X509Certificate certificate)
    {
        if (id.ID is Asn1OctetString ski)
        {
            var ext = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            return ext is not null && SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(ext.GetOctets())).GetKeyIdentifier().AsSpan().SequenceEqual(ski.GetOctets());
        }

        var issuerSerial = IssuerAndSerialNumber.GetInstance(id.ID);
        return certificate.IssuerDN.Equivalent(issuerSerial.Issuer) && certificate.SerialNumber.Equals(issuerSerial.SerialNumber.Value);
    }

    private static void CheckSignedAttributes(SignerInfo signer, ReadOnlySpan<byte> contentDigest, X509Certificate signerCert, List<VerificationError> errors, bool padesBaseline)
    {
        if (signer.SignedAttrs is null)
        {
            // Plain CMS may sign the content itself (RFC 5652 §5.4); PAdES needs the attributes.
            if (padesBaseline)
            {
                errors.Add(new(VerificationCodes.SignedAttributesMissing, "The signer has no signed attributes."));
            }

            return;
        }

        var attributes = new AttributeTable(signer.SignedAttrs);
        var contentType = Single(attributes, CmsAttributes.ContentType);
        if (contentType is not DerObjectIdentifier type || !type.Equals(CmsObjectIdentifiers.Data))
        {
            errors.Add(new(VerificationCodes.ContentTypeInvalid, "The content-type attribute is missing or not id-data."));
        }

        var digest = Single(attributes, CmsAttributes.MessageDigest);
        if (digest is not Asn1OctetString octets || !octets.GetOctets().AsSpan().SequenceEqual(contentDigest))
        {
            errors.Add(new(VerificationCodes.MessageDigestMismatch, "The signed content's digest differs from the message-digest attribute: the content was changed."));
        }

        if (padesBaseline && attributes[CmsAttributes.SigningTime] is not null)
        {
            errors.Add(new(VerificationCodes.SigningTimePresent, "PAdES baseline signatures must not carry a signing-time attribute."));
        }

        var signingCertificate = Single(attributes, PkcsObjectIdentifiers.IdAASigningCertificateV2);
        if (signingCertificate is null)
        {
            if (padesBaseline)
            {
                errors.Add(new(VerificationCodes.SigningCertificateMissing, "The signing-certificate-v2 attribute is missing."));
            }

            return;
        }

        var first = SigningCertificateV2.GetInstance(signingCertificate).GetCerts().FirstOrDefault();
        var hashAlgorithm = first?.HashAlgorithm?.Algorithm ?? NistObjectIdentifiers.IdSha256;
        var hash = first is null ? null : DigestUtilities.CalculateDigest(hashAlgorithm, signerCert.GetEncoded());
        if (first is null || !first.GetCertHash().AsSpan().SequenceEqual(hash)
            || (first.IssuerSerial is not null && !first.IssuerSerial.Serial.Value.Equals(signerCert.SerialNumber)))
        {
            errors.Add(new(VerificationCodes.SigningCertificateMismatch, "The signing-certificate-v2 attribute does not name the signer's certificate."));
        }
    }

    private static Asn1Encodable? Single(AttributeTable table, DerObjectIdentifier oid)
    {
        var all = table.GetAll(oid);
        return all.Count == 1 && CmsAttribute.GetInstance(all[0]).AttrValues.Count == 1
            ? CmsAttribute.GetInstance(all[0]).AttrValues[0]
            : null;
    }

    private void CheckSignatureValue(SignerInfo signer, X509Certificate signerCert, Scheme scheme, ReadOnlySpan<byte> contentDigest, List<VerificationError> errors)
    {
        if (signer.SignedAttrs is null)
        {
            CheckSignatureOverDigest(signer, signerCert, scheme, contentDigest, errors);
            return;
        }

        var signed = signer.SignedAttrs.GetEncoded(Asn1Encodable.Der);
        var signature = signer.Signature.GetOctets();
        bool valid;
        try
        {
            var key = signerCert.GetPublicKey();
            if (scheme.Family == SealKeyAlgorithm.Sm2)
            {
                valid = key is ECPublicKeyParameters ec && Signing.Sm2.Verify(ec, signed, signature, options.Sm2DistinguishingId);
            }
            else if (scheme.Pss is { } pss)
            {
                var digest = DigestUtilities.GetDigest(pss.HashAlgorithm.Algorithm);
                var mgf = DigestUtilities.GetDigest(AlgorithmIdentifier.GetInstance(pss.MaskGenAlgorithm.Parameters).Algorithm);
                var verifier = new Org.BouncyCastle.Crypto.Signers.PssSigner(new Org.BouncyCastle.Crypto.Engines.RsaBlindedEngine(), digest, mgf,
                    pss.SaltLength.IntValueExact, (byte)(pss.TrailerField.IntValueExact == 1 ? 0xBC : throw new ArgumentException("unknown PSS trailer")));
                verifier.Init(false, key);
                verifier.BlockUpdate(signed);
                valid = verifier.VerifySignature(signature);
            }
            else
            {
                var verifier = SignerUtilities.GetSigner(scheme.SignerName!);
                verifier.Init(false, key);
                verifier.BlockUpdate(signed);
                valid = verifier.VerifySignature(signature);
            }
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            valid = false;
        }

        if (!valid)
        {
            errors.Add(new(VerificationCodes.SignatureInvalid, "The signature value does not verify with the signer's public key."));
        }
    }
    /// <summary>
    /// No signed attributes: the value signs the content's digest directly. RSA PKCS#1 v1.5 and ECDSA can be checked from
    /// the digest alone; SM2 (which hashes Z‖M) and PSS here cannot, and are refused rather than guessed.
    /// </summary>
    private static void CheckSignatureOverDigest(SignerInfo signer, X509Certificate signerCert, Scheme scheme, ReadOnlySpan<byte> contentDigest, List<VerificationError> errors)
    {
        if (scheme.Family == SealKeyAlgorithm.Sm2 || scheme.Pss is not null)
        {
            errors.Add(new(VerificationCodes.AlgorithmUnsupported, "A signature without signed attributes is checked for RSA PKCS#1 v1.5 and ECDSA only."));
            return;
        }

        bool valid;
        try
        {
            Org.BouncyCastle.Crypto.ISigner verifier = scheme.Family == SealKeyAlgorithm.Rsa
                ? new Org.BouncyCastle.Crypto.Signers.RsaDigestSigner(new Org.BouncyCastle.Crypto.Digests.NullDigest(), signer.DigestAlgorithm.Algorithm)
                : new Org.BouncyCastle.Crypto.Signers.DsaDigestSigner(new Org.BouncyCastle.Crypto.Signers.ECDsaSigner(), new Org.BouncyCastle.Crypto.Digests.NullDigest());
            verifier.Init(false, signerCert.GetPublicKey());
            verifier.BlockUpdate(contentDigest);
            valid = verifier.VerifySignature(signer.Signature.GetOctets());
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            valid = false;
        }

        if (!valid)
        {
            errors.Add(new(VerificationCodes.SignatureInvalid, "The signature value does not verify over the signed bytes' digest."));
        }
    }
}
