using Org.BouncyCastle.Math;

namespace SealService.Keys.Revocation;

/// <summary>RFC 5280 reason codes the seal statuses map to.</summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CessationOfOperation = 5,
    CertificateHold = 6,
}

/// <summary>What the CA says about one certificate now: good, or revoked (on hold) since a time for a reason.</summary>
public sealed record RevocationStatus(DateTimeOffset? RevokedAt, RevocationReason Reason = RevocationReason.Unspecified)
{
    public static readonly RevocationStatus Good = new((DateTimeOffset?)null);

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>The registry side of revocation: the status of a certificate the CA issued, null when it does not know it.</summary>
public interface ICertificateStatusSource
{
    Task<RevocationStatus?> FindAsync(BigInteger serialNumber, CancellationToken cancellationToken);

    /// <summary>Every revoked or held certificate (for the CRL).</summary>
    Task<IReadOnlyList<(BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken);
}
