using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using SealService.Keys.Crypto;
using CmsContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace SealService.Keys.Verification;

/// <summary>
/// A document time-stamp (PDF SubFilter ETSI.RFC3161, PAdES B-LTA): the /Contents is an RFC 3161 token whose message
/// imprint is the digest of the signed bytes. It proves the bytes existed at its time; the TSA is the "signer".
/// </summary>
public sealed partial class CmsSignatureVerifier
{
    /// <summary>A hasher for the token's imprint algorithm (SHA-1 is refused here: a weak imprint proves nothing).</summary>
    public static IContentHasher CreateDocumentTimestampHasher(ReadOnlySpan<byte> token)
    {
        var algorithm = ReadToken(token).TimeStampInfo.HashAlgorithm.Algorithm;
        return algorithm.Equals(NistObjectIdentifiers.IdSha256) ? new Sha256ContentHasher()
            : algorithm.Equals(NistObjectIdentifiers.IdSha384) ? new IncrementalContentHasher(System.Security.Cryptography.HashAlgorithmName.SHA384)
            : algorithm.Equals(NistObjectIdentifiers.IdSha512) ? new IncrementalContentHasher(System.Security.Cryptography.HashAlgorithmName.SHA512)
            : algorithm.Equals(GMObjectIdentifiers.sm3) ? new Sm3ContentHasher()
            : algorithm.Equals(OiwObjectIdentifiers.IdSha1)
                ? throw new KeysException(VerificationCodes.AlgorithmWeak, "The document time-stamp's imprint is SHA-1.")
                : throw new KeysException(VerificationCodes.AlgorithmUnsupported, $"Unsupported imprint algorithm {algorithm}.");
    }

    /// <summary>Checks the token's signature, its imprint against <paramref name="contentDigest"/>, and the TSA's chain at its time.</summary>
    public CmsVerificationResult VerifyDocumentTimestamp(ReadOnlySpan<byte> token, ReadOnlySpan<byte> contentDigest)
    {
        var errors = new List<VerificationError>();
        try
        {
            var parsed = ReadToken(token);
            var certificates = parsed.GetCertificates().EnumerateMatches(null).Select(c => CertificateCache.Get(c.GetEncoded())).ToList();
            var tsaCert = certificates.FirstOrDefault(c => parsed.SignerID.Match(c));
            if (tsaCert is null)
            {
                return Fail(errors, VerificationCodes.SignerCertificateMissing, "The TSA certificate is not in the document time-stamp.");
            }

            // Checks the token's signature, its signing-certificate attribute and the TSA's critical timeStamping EKU.
            parsed.Validate(tsaCert);
            if (!parsed.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(contentDigest))
            {
                errors.Add(new(VerificationCodes.MessageDigestMismatch, "The document time-stamp's imprint differs from the signed bytes' digest: the content was changed."));
            }

            var time = new DateTimeOffset(DateTime.SpecifyKind(parsed.TimeStampInfo.GenTime, DateTimeKind.Utc));
            CheckChain(tsaCert, certificates, time, errors, VerificationCodes.TimestampChainUntrusted);
            return new CmsVerificationResult(errors, null, tsaCert, time, tsaCert);
        }
        catch (Exception ex) when (ex is TspValidationException or TspException)
        {
            return Fail(errors, VerificationCodes.TimestampInvalid, $"The document time-stamp does not verify: {ex.Message}");
        }
        catch (KeysException ex)
        {
            return Fail(errors, ex.Code, ex.Message);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            return Fail(errors, VerificationCodes.Malformed, $"Not an RFC 3161 time-stamp token: {ex.Message}");
        }
    }

    private static TimeStampToken ReadToken(ReadOnlySpan<byte> token)
    {
        try
        {
            if (token.Length is 0 or > MaxCmsSize)
            {
                throw new KeysException(VerificationCodes.Malformed, $"Token size must be 1..{MaxCmsSize} bytes.");
            }

            using var input = new Org.BouncyCastle.Asn1.Asn1InputStream(token.ToArray());
            return new TimeStampToken(new CmsSignedData(CmsContentInfo.GetInstance(input.ReadObject())));
        }
        catch (Exception ex) when (ex is not KeysException && IsMalformed(ex))
        {
            throw new KeysException(VerificationCodes.Malformed, $"Not an RFC 3161 time-stamp token: {ex.Message}", ex);
        }
    }
}
