using SealService.Keys;
using SealService.Keys.Tsa;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SealService.Pdf.Signing;

/// <summary>
/// PAdES B-LTA: a document time-stamp (an invisible field, SubFilter ETSI.RFC3161, /Contents an RFC 3161 token over the
/// ByteRange) after the DSS, so the validation data is itself dated. Archives add a new one before the last one's TSA
/// certificate expires; each covers everything before it.
/// </summary>
public static class PdfDocumentTimestamp
{
    public static Task<SignResult> AddAsync(Stream input, Stream output, ITimeStampAuthority tsa, CancellationToken cancellationToken = default) =>
        PdfSigner.SignAsync(input, output, new TokenCreator(tsa), new SignatureOptions { DocumentTimestamp = true }, cancellationToken);

    /// <summary>The "CMS" of a document time-stamp is the TSA's token (itself a SignedData) over the SHA-256 of the ByteRange.</summary>
    private sealed class TokenCreator(ITimeStampAuthority tsa) : ICmsSignatureCreator
    {
        public int MaxSignatureSize => tsa.MaxTokenSize;

        // The signer of a document time-stamp is the TSA, named inside its token; the seal-profile check that reads this is skipped.
        public X509Certificate SignerCertificate => throw new NotSupportedException("a document time-stamp has no seal certificate");

        public IContentHasher CreateHasher() => Keys.Crypto.ContentHashers.For(SealKeyAlgorithm.Rsa); // SHA-256

        public Task<byte[]> CreateAsync(ReadOnlyMemory<byte> contentDigest, PadesLevel level, IReadOnlyList<CmsSignedAttribute>? extraSignedAttributes = null,
            CancellationToken cancellationToken = default) =>
            tsa.GetTokenAsync(contentDigest.ToArray(), Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256.Id, cancellationToken);
    }
}
