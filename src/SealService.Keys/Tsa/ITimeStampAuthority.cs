namespace SealService.Keys.Tsa;

/// <summary>Source of RFC 3161 time-stamp tokens (the DER ContentInfo of a TimeStampToken).</summary>
public interface ITimeStampAuthority
{
    /// <summary>Upper bound of a token's size; callers reserve this much in the PDF.</summary>
    int MaxTokenSize { get; }

    /// <summary>Gets a token over <paramref name="digest"/>, computed with the hash named by <paramref name="digestAlgorithmOid"/>.</summary>
    Task<byte[]> GetTokenAsync(byte[] digest, string digestAlgorithmOid, CancellationToken cancellationToken = default);
}
