using System.Buffers;
using SealService.Keys;
using SealService.Keys.Verification;

namespace SealService.Pdf.Verification;

/// <summary>
/// <see cref="ICmsSignatureValidator"/> over SealService.Keys' BouncyCastle verifier: it picks
/// SHA-256 or SM3 from the CMS, hashes the signed bytes as they stream by, and checks everything.
/// </summary>
public sealed class KeysCmsSignatureValidator(CmsSignatureVerifier verifier) : ICmsSignatureValidator
{
    private const int BufferSize = 81920;

    /// <summary>The SubFilter of a document time-stamp: /Contents is an RFC 3161 token over the signed bytes.</summary>
    public const string DocumentTimestamp = "ETSI.RFC3161";

    // Findings about trust in the signer, not about the integrity of what was signed.
    private static readonly HashSet<string> TrustCodes =
    [
        VerificationCodes.ChainUntrusted, VerificationCodes.CertificateNotValidAtTime, VerificationCodes.IssuerNotCa,
        VerificationCodes.KeyUsageInvalid, VerificationCodes.NotASealCertificate, VerificationCodes.TimestampChainUntrusted,
    ];

    // PAdES-baseline profile rules and a weak digest: reported as the signature's profile, not as damage.
    private static readonly HashSet<string> ProfileCodes =
        [VerificationCodes.SigningTimePresent, VerificationCodes.SigningCertificateMissing, VerificationCodes.AlgorithmWeak];

    public async Task<CmsValidation> ValidateAsync(ReadOnlyMemory<byte> cms, Stream signedContent, string? subFilter, CancellationToken cancellationToken = default)
    {
        IContentHasher hasher;
        try
        {
            hasher = subFilter == DocumentTimestamp ? CmsSignatureVerifier.CreateDocumentTimestampHasher(cms.Span) : CmsSignatureVerifier.CreateHasher(cms.Span);
        }
        catch (KeysException e)
        {
            return new CmsValidation(false, null, null, e.Code, e.Message);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            return new CmsValidation(false, null, null, VerificationCodes.Malformed, "not a CMS SignedData: " + e.Message);
        }

        using (hasher)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int n;
                while ((n = await signedContent.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, n));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            // PAdES baseline rules (signing-certificate-v2 required, no signing-time) bind ETSI.CAdES.detached only.
            var result = subFilter == DocumentTimestamp
                ? verifier.VerifyDocumentTimestamp(cms.Span, hasher.Finish())
                : verifier.Verify(cms.Span, hasher, padesBaseline: subFilter is null or "ETSI.CAdES.detached");
            // The code shown first is the one that matters most: damage, then trust, then the profile.
            var first = result.Errors.OrderBy(e => TrustCodes.Contains(e.Code) ? 1 : ProfileCodes.Contains(e.Code) ? 2 : 0).FirstOrDefault();
            return new CmsValidation(
                result.IsValid,
                result.SignerSubject,
                result.TimestampTime,
                first?.Code,
                result.IsValid ? null : string.Join("; ", result.Errors.Select(e => $"{e.Code}: {e.Message}")))
            {
                Intact = result.Errors.All(e => TrustCodes.Contains(e.Code) || ProfileCodes.Contains(e.Code)),
                Trusted = result.Errors.All(e => ProfileCodes.Contains(e.Code)),
                ProfileIssues = [.. result.Errors.Where(e => ProfileCodes.Contains(e.Code)).Select(e => e.Code)],
            };
        }
    }
}
