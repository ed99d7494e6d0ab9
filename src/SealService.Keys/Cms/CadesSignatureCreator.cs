using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using SealService.Keys.Crypto;
using SealService.Keys.Signing;
using SealService.Keys.Tsa;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using CmsContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace SealService.Keys.Cms;

/// <summary>
/// Detached CMS SignedData for PAdES (CAdES baseline): signed attributes content-type,
/// message-digest and signing-certificate-v2, no signing-time; B-T adds an RFC 3161
/// signature time-stamp as unsigned attribute. The SignerInfo is assembled here because the
/// PDF side hands over a precomputed digest, which BouncyCastle's CmsSignedDataGenerator cannot
/// take; the signature value itself comes from the key's <see cref="Org.BouncyCastle.Crypto.ISignatureFactory"/>
/// (.NET/OpenSSL for RSA and ECDSA, BouncyCastle for SM2).
/// </summary>
public sealed class CadesSignatureCreator : ICmsSignatureCreator
{
    private readonly IRawSigner _key;
    private readonly ITimeStampAuthority? _tsa;
    private readonly Asn1Set _certificates;
    private readonly Asn1Encodable _signingCertificateV2;
    private readonly SignerIdentifier _signerId;
    private readonly int _fixedOverhead;

    /// <param name="key">The seal's signer (certificate and chain included); stays owned by the caller.</param>
    /// <param name="tsa">Time-stamp authority for B-T; null means B-T is refused.</param>
    public CadesSignatureCreator(IRawSigner key, ITimeStampAuthority? tsa)
    {
        _key = key;
        _tsa = tsa;
        var signerCertificate = key.Certificate;
        SignerCertificate = signerCertificate;
        Chain = key.Chain.Where(c => !c.SubjectDN.Equivalent(c.IssuerDN)).ToList(); // a root is the verifier's, not ours to embed
        var chain = Chain;

        var all = new Asn1EncodableVector { signerCertificate.CertificateStructure };
        foreach (var c in chain)
        {
            all.Add(c.CertificateStructure);
        }

        _certificates = new DerSet(all);
        var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(signerCertificate.IssuerDN)), new DerInteger(signerCertificate.SerialNumber));
        var certHash = System.Security.Cryptography.SHA256.HashData(signerCertificate.GetEncoded());
        _signingCertificateV2 = new SigningCertificateV2([new EssCertIDv2(certHash, issuerSerial)]);
        _signerId = new SignerIdentifier(new IssuerAndSerialNumber(signerCertificate.IssuerDN, signerCertificate.SerialNumber));

        // Structure, OIDs, attributes, issuer names: generous fixed slack on top of what we can measure.
        _fixedOverhead = _certificates.GetEncoded().Length + (2 * signerCertificate.IssuerDN.GetEncoded().Length) + key.MaxSignatureLength + 1024;
    }

    /// <summary>
    /// Creator for a PKCS#12 file (e.g. the CLI's --key). The imported key lives as long as the
    /// process; services should use <see cref="Store.FileSealKeyStore"/>, which caches per file.
    /// </summary>
    public static CadesSignatureCreator FromPkcs12(string path, string passphrase, ITimeStampAuthority? tsa, string sm2DistinguishingId = Sm2.DefaultId) =>
        new(SoftwareSigner.FromPkcs12(path, passphrase, sm2DistinguishingId), tsa);

    public X509Certificate SignerCertificate { get; }

    public IReadOnlyList<X509Certificate> Chain { get; }

    public SealKeyAlgorithm Algorithm => _key.Algorithm;

    public int MaxSignatureSize => _fixedOverhead + (_tsa?.MaxTokenSize ?? 0);

    public IContentHasher CreateHasher() => ContentHashers.For(_key.Algorithm);

    public async Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level,
        IReadOnlyList<CmsSignedAttribute>? extraSignedAttributes = null, CancellationToken cancellationToken = default)
    {
        if (contentDigest.Length != CmsOids.DigestLength)
        {
            throw new KeysException(KeyErrorCodes.DigestInvalid, $"Content digest must be {CmsOids.DigestLength} bytes, got {contentDigest.Length}.");
        }

        if (level == PadesLevel.BaselineT && _tsa is null)
        {
            throw new KeysException(KeyErrorCodes.TsaNotConfigured, "PAdES B-T needs a time-stamp authority and none is configured.");
        }

        var attributes = new Asn1EncodableVector
        {
            new CmsAttribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new CmsAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest.ToArray()))),
            new CmsAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(_signingCertificateV2)),
        };
        foreach (var extra in extraSignedAttributes ?? [])
        {
            attributes.Add(new CmsAttribute(new DerObjectIdentifier(extra.Oid), new DerSet(Asn1Object.FromByteArray(extra.DerValue))));
        }

        // DerSet sorts its members: the DER the signature covers is the one every verifier re-encodes.
        var signedAttributes = new DerSet(attributes);

        var signatureValue = await _key.SignDataAsync(signedAttributes.GetEncoded(Asn1Encodable.Der), cancellationToken).ConfigureAwait(false);

        Asn1Set? unsignedAttributes = null;
        if (level == PadesLevel.BaselineT)
        {
            var imprint = System.Security.Cryptography.SHA256.HashData(signatureValue);
            var token = await _tsa!.GetTokenAsync(imprint, NistObjectIdentifiers.IdSha256.Id, cancellationToken).ConfigureAwait(false);
            unsignedAttributes = new DerSet(new CmsAttribute(
                PkcsObjectIdentifiers.IdAASignatureTimeStampToken,
                new DerSet(CmsContentInfo.GetInstance(Asn1Object.FromByteArray(token)))));
        }

        var signerInfo = new SignerInfo(
            _signerId,
            CmsOids.DigestAlgorithm(_key.Algorithm),
            signedAttributes,
            CmsOids.SignatureAlgorithm(_key.Algorithm),
            new DerOctetString(signatureValue),
            unsignedAttributes);

        var signedData = new SignedData(
            new DerSet(CmsOids.DigestAlgorithm(_key.Algorithm)),
            new CmsContentInfo(CmsObjectIdentifiers.Data, null),
            _certificates,
            null,
            new DerSet(signerInfo));

        return new CmsContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }
}
