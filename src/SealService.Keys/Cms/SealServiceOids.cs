using Org.BouncyCastle.Asn1;

namespace SealService.Keys.Cms;

/// <summary>
/// Object identifiers SealService owns, under the UUID arc 2.25.64555009514169494429153326278938366145
/// (UUID 3090d7b3-ded1-407b-a33b-7b66ab2e90c1, ITU-T X.667). Never reuse or renumber one.
/// </summary>
public static class SealServiceOids
{
    public const string Arc = "2.25.64555009514169494429153326278938366145";

    /// <summary>Signed CMS attribute: the stamp's scope (<see cref="StampScopeAttribute"/>).</summary>
    public const string StampScopeAttribute = Arc + ".1.1";

    /// <summary>Certificate policy that marks a SealService seal certificate (no other certificate may sign as a seal).</summary>
    public const string SealCertificatePolicy = Arc + ".2.1";

    public static readonly DerObjectIdentifier SealPolicy = new(SealCertificatePolicy);
}
