using Org.BouncyCastle.X509;
using SealService.Keys.Pki;
using SealService.Keys.Store;

namespace SealService.Keys.Pkcs11;

/// <summary>
/// A seal key born inside a token and certified by the development CA (<c>sealctl pki token-seal</c>): the token
/// generates the key pair, the CA signs a seal certificate for the public key, and the certificate and the CA
/// certificates above it are stored in the token beside the key.
/// </summary>
public static class Pkcs11DevSeals
{
    public static X509Certificate Create(Pkcs11Token token, DevPki pki, string sealId, string sealText, string organisation, SealKeyAlgorithm algorithm)
    {
        var keyReference = KeyReferences.SealPrefix + DevPki.ValidSealId(sealId);
        _ = pki.IssuingCertificate; // the CA must be readable before the token gets a key it cannot certify
        var publicKey = Pkcs11KeyAdmin.GenerateKeyPair(token, keyReference, algorithm);
        var certificate = pki.IssueSealCertificateFor(publicKey, sealText, organisation);
        Store(token, pki, keyReference, certificate);
        return certificate;
    }

    /// <summary>The ledger's signing key (tree heads, audit manifests) inside the token, under <paramref name="keyReference"/>.</summary>
    public static X509Certificate CreateLedgerKey(Pkcs11Token token, DevPki pki, string keyReference, SealKeyAlgorithm algorithm)
    {
        KeyReferences.Require(keyReference);
        _ = pki.IssuingCertificate;
        var publicKey = Pkcs11KeyAdmin.GenerateKeyPair(token, keyReference, algorithm);
        var certificate = pki.IssueCertificate(CertificateProfile.Ledger,
            CertificateFactory.Name("SealService Dev Ledger Signing (token)", "SealService", DevPki.DevelopmentMarker), publicKey);
        Store(token, pki, keyReference, certificate);
        return certificate;
    }

    private static void Store(Pkcs11Token token, DevPki pki, string keyReference, X509Certificate certificate)
    {
        Pkcs11KeyAdmin.StoreCertificate(token, keyReference, certificate);
        Pkcs11KeyAdmin.StoreCaCertificate(token, "ca/issuing", pki.IssuingCertificate);
        Pkcs11KeyAdmin.StoreCaCertificate(token, "ca/root", pki.RootCertificate);
    }
}
