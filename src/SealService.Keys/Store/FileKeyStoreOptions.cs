namespace SealService.Keys.Store;

/// <summary>Configuration of <see cref="FileSealKeyStore"/> (section "Keys" in appsettings).</summary>
public sealed class FileKeyStoreOptions
{
    /// <summary>Folder holding <c>seals/&lt;sealId&gt;.p12</c> (and, in development, the dev CA files).</summary>
    public string Directory { get; set; } = "certs-dev";

    /// <summary>PKCS#12 passphrase. Comes from configuration/secrets; never logged.</summary>
    public string Passphrase { get; set; } = "";

    /// <summary>Development only: issue a missing seal key from the dev issuing CA on first use.</summary>
    public bool IssueMissingDevSeals { get; set; }

    /// <summary>
    /// Development only: the CRL and OCSP URLs written into seal certificates issued on demand (the host's own
    /// <c>/pki/crl</c> and <c>/pki/ocsp</c>). Empty: certificates carry neither, and nobody asks.
    /// </summary>
    public string? DevCrlUrl { get; set; }

    public string? DevOcspUrl { get; set; }

    /// <summary>Algorithm of seal keys issued on demand.</summary>
    public SealKeyAlgorithm DevSealAlgorithm { get; set; } = SealKeyAlgorithm.Rsa;

    /// <summary>SM2 distinguishing ID used when signing (GM/T 0009 default).</summary>
    public string Sm2DistinguishingId { get; set; } = Signing.Sm2.DefaultId;
}
