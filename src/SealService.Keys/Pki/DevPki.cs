using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.X509;
using SealService.Keys.Signing;
using SealService.Keys.Store;
using SealService.Keys.Tsa;

namespace SealService.Keys.Pki;

/// <summary>
/// Development PKI in one folder (by default certs-dev/): root CA, issuing CA, TSA, ledger key
/// and one PKCS#12 per seal. Every subject carries OU=<see cref="DevelopmentMarker"/>.
/// </summary>
public sealed partial class DevPki
{
    /// <summary>Passphrase of every PKCS#12 file in certs-dev/. Documented; development only.</summary>
    public const string DefaultPassphrase = "sealservice-dev";

    public const string DevelopmentMarker = "DEVELOPMENT ONLY - NOT FOR PRODUCTION";
    public const string RootCaFile = "root-ca";
    public const string IssuingCaFile = "issuing-ca";
    public const string TsaFile = "tsa";
    public const string LedgerFile = "ledger";
    public const string SealsFolder = "seals";
    public const int MaxSealTextLength = 128;

    private const string Organisation = "SealService";
    private readonly Lazy<Pkcs12Content> _issuing;
    private readonly Lazy<X509Certificate> _root;

    /// <summary>Opens an existing development PKI (files are read on first use).</summary>
    public DevPki(string directory, string passphrase = DefaultPassphrase)
    {
        Directory = directory;
        Passphrase = passphrase;
        _issuing = new Lazy<Pkcs12Content>(() => LoadRequired(IssuingCaFile));
        _root = new Lazy<X509Certificate>(() => ReadPem(PathOf(RootCaFile + ".pem")));
    }

    public string Directory { get; }

    public string Passphrase { get; }

    public X509Certificate RootCertificate => _root.Value;

    public X509Certificate IssuingCertificate => _issuing.Value.Certificate;

    /// <summary>The issuing CA's key as a signer (for its CRLs and OCSP answers); the caller disposes it.</summary>
    public SoftwareSigner OpenIssuingCa() => SoftwareSigner.Create(_issuing.Value);

    /// <summary>Where a seal's PKCS#12 lives.</summary>
    public string SealFilePath(string sealId) => Path.Combine(Directory, SealsFolder, ValidSealId(sealId) + ".p12");

    /// <summary>Creates root CA, issuing CA, TSA and ledger material in <paramref name="directory"/>.</summary>
    public static DevPki Init(string directory, SealKeyAlgorithm algorithm = SealKeyAlgorithm.Rsa, bool force = false, string passphrase = DefaultPassphrase, TimeProvider? clock = null)
    {
        var pki = new DevPki(directory, passphrase);
        if (File.Exists(pki.PathOf(RootCaFile + ".pem")) && !force)
        {
            throw new KeysException(KeyErrorCodes.DevPkiExists, $"A development PKI already exists in '{directory}' (use --force to replace it).");
        }

        System.IO.Directory.CreateDirectory(directory);
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime.Date.AddDays(-1);

        var rootKeys = KeyGenerator.Generate(algorithm);
        // The root has no certificate to build a raw signer from yet: BouncyCastle signs its two certificates itself.
        var rootSigner = new Asn1SignatureFactory(algorithm == SealKeyAlgorithm.Sm2 ? "SM3WITHSM2" : algorithm == SealKeyAlgorithm.Rsa ? "SHA256WITHRSA" : "SHA256WITHECDSA", rootKeys.Private);
        var rootName = CertificateFactory.Name("SealService Dev Root CA", Organisation, DevelopmentMarker);
        var root = CertificateFactory.Issue(CertificateProfile.RootCa, rootName, rootKeys.Public, rootName, rootKeys.Public, rootSigner, now, now.AddYears(20));
        pki.Write(RootCaFile, rootKeys.Private, root, []);

        var issuingKeys = KeyGenerator.Generate(algorithm);
        var issuingName = CertificateFactory.Name("SealService Dev Issuing CA", Organisation, DevelopmentMarker);
        var issuing = CertificateFactory.Issue(CertificateProfile.IssuingCa, issuingName, issuingKeys.Public, rootName, rootKeys.Public, rootSigner, now, now.AddYears(10));
        pki.Write(IssuingCaFile, issuingKeys.Private, issuing, [root]);

        using var issuingKey = SoftwareSigner.Create(issuingKeys.Private, issuing, [root]);
        var issuingSigner = new RawSignerSignatureFactory(issuingKey);

        // The development TSA signs with RSA or ECDSA (BouncyCastle's TSP verifier has no SM2 path).
        var tsaAlgorithm = algorithm == SealKeyAlgorithm.Sm2 ? SealKeyAlgorithm.Ecdsa : algorithm;
        var tsaKeys = KeyGenerator.Generate(tsaAlgorithm);
        var tsa = CertificateFactory.Issue(CertificateProfile.TimeStamping, CertificateFactory.Name("SealService Dev TSA", Organisation, DevelopmentMarker), tsaKeys.Public, issuingName, issuingKeys.Public, issuingSigner, now, now.AddYears(5));
        pki.Write(TsaFile, tsaKeys.Private, tsa, [issuing, root]);

        var ledgerKeys = KeyGenerator.Generate(algorithm);
        var ledger = CertificateFactory.Issue(CertificateProfile.Ledger, CertificateFactory.Name("SealService Dev Ledger Signing", Organisation, DevelopmentMarker), ledgerKeys.Public, issuingName, issuingKeys.Public, issuingSigner, now, now.AddYears(5));
        pki.Write(LedgerFile, ledgerKeys.Private, ledger, [issuing, root]);

        File.WriteAllText(pki.PathOf("README.md"), ReadmeText(algorithm, passphrase == DefaultPassphrase) + "\n");
        return pki;
    }

    /// <summary>
    /// Issues a seal certificate (CN = seal text, O = the body it acts for) from the issuing CA
    /// and writes <c>seals/&lt;sealId&gt;.p12</c>. Returns the file path.
    /// </summary>
    public string IssueSealCertificate(string sealId, string sealText, string organisation, SealKeyAlgorithm algorithm = SealKeyAlgorithm.Rsa, bool overwrite = false, TimeProvider? clock = null,
        RevocationUrls? revocation = null)
    {
        var path = SealFilePath(sealId);
        if (!overwrite && File.Exists(path))
        {
            throw new KeysException(KeyErrorCodes.KeyExists, $"Seal key '{sealId}' already exists (use --force to replace it).");
        }

        RequireText(sealText, "seal text");
        RequireText(organisation, "organisation");

        var issuing = _issuing.Value;
        var keys = KeyGenerator.Generate(algorithm);
        var certificate = IssueCertificate(CertificateProfile.Seal, CertificateFactory.Name(sealText, organisation, DevelopmentMarker), keys.Public, clock, revocation);
        Pkcs12Files.Save(path, Passphrase, sealId, keys.Private, certificate, [issuing.Certificate, .. issuing.Chain]);
        return path;
    }

    /// <summary>A seal certificate for a key held elsewhere (generated inside a token): same subject rules as above.</summary>
    public X509Certificate IssueSealCertificateFor(Org.BouncyCastle.Crypto.AsymmetricKeyParameter publicKey, string sealText, string organisation, TimeProvider? clock = null,
        RevocationUrls? revocation = null)
    {
        RequireText(sealText, "seal text");
        RequireText(organisation, "organisation");
        return IssueCertificate(CertificateProfile.Seal, CertificateFactory.Name(sealText, organisation, DevelopmentMarker), publicKey, clock, revocation);
    }

    /// <summary>
    /// A certificate from the issuing CA for a public key held elsewhere (a seal key generated inside a token):
    /// valid from yesterday for five years, never past the issuing CA's own expiry.
    /// </summary>
    public X509Certificate IssueCertificate(CertificateProfile profile, X509Name subject, Org.BouncyCastle.Crypto.AsymmetricKeyParameter publicKey, TimeProvider? clock = null,
        RevocationUrls? revocation = null)
    {
        var issuing = _issuing.Value;
        using var issuer = SoftwareSigner.Create(issuing);
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime.Date.AddDays(-1);
        var notAfter = now.AddYears(5) < issuing.Certificate.NotAfter ? now.AddYears(5) : issuing.Certificate.NotAfter;
        return CertificateFactory.Issue(profile, subject, publicKey, issuing.Certificate.SubjectDN, issuing.Certificate.GetPublicKey(),
            new RawSignerSignatureFactory(issuer), now, notAfter, revocation);
    }

    /// <summary>The built-in development TSA, signing with certs-dev/tsa.p12.</summary>
    public DevTimeStampAuthority CreateTimeStampAuthority(TimeProvider? clock = null)
    {
        var tsa = LoadRequired(TsaFile);
        return new DevTimeStampAuthority(SoftwareSigner.Create(tsa), clock);
    }

    internal Pkcs12Content LoadRequired(string name)
    {
        var path = PathOf(name + ".p12");
        if (!File.Exists(path))
        {
            throw new KeysException(KeyErrorCodes.DevPkiMissing, $"Development PKI file '{path}' is missing; run 'sealctl pki init'.");
        }

        return Pkcs12Files.Load(path, Passphrase);
    }

    public static X509Certificate ReadPem(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeysException(KeyErrorCodes.DevPkiMissing, $"Certificate '{path}' is missing; run 'sealctl pki init'.");
        }

        using var reader = new StreamReader(path);
        return new Org.BouncyCastle.OpenSsl.PemReader(reader).ReadObject() as X509Certificate
            ?? throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"'{path}' holds no PEM certificate.");
    }

    public static string ToPem(X509Certificate certificate)
    {
        using var writer = new StringWriter();
        var pem = new Org.BouncyCastle.OpenSsl.PemWriter(writer);
        pem.WriteObject(certificate);
        pem.Writer.Flush();
        return writer.ToString();
    }

    public static string ValidSealId(string sealId)
    {
        if (sealId is null || !SealIdPattern().IsMatch(sealId))
        {
            throw new KeysException(KeyErrorCodes.KeyReferenceInvalid, "A seal id is 1-100 characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit.");
        }

        return sealId;
    }

    private static void RequireText(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxSealTextLength || value.Any(char.IsControl))
        {
            throw new KeysException(KeyErrorCodes.SealInputInvalid, $"The {what} must be 1-{MaxSealTextLength} printable characters.");
        }
    }

    private void Write(string name, Org.BouncyCastle.Crypto.AsymmetricKeyParameter key, X509Certificate certificate, X509Certificate[] chain)
    {
        Pkcs12Files.Save(PathOf(name + ".p12"), Passphrase, name, key, certificate, chain);
        File.WriteAllText(PathOf(name + ".pem"), ToPem(certificate), Encoding.ASCII);
    }

    private string PathOf(string file) => Path.Combine(Directory, file);

    private static string ReadmeText(SealKeyAlgorithm algorithm, bool defaultPassphrase) => $"""
        # Development PKI — NOT FOR PRODUCTION

        Everything in this folder is development material: the private keys are public (they are in
        the repository) and every certificate says OU={DevelopmentMarker}.
        Never trust root-ca.pem outside a developer machine or a test.

        Created by `sealctl pki init --algorithm {algorithm.ToName()}`. PKCS#12 passphrase:
        {(defaultPassphrase ? $"`{DefaultPassphrase}` (the documented dev passphrase)" : "the one given at creation")}.

        | file | what |
        |---|---|
        | root-ca.pem / root-ca.p12 | dev root CA (trust anchor for pdfsig/NSS and our verifier) |
        | issuing-ca.pem / issuing-ca.p12 | dev issuing CA; signs TSA, ledger and seal certificates |
        | tsa.pem / tsa.p12 | dev time-stamping certificate (EKU timeStamping, critical) for the built-in TSA |
        | ledger.pem / ledger.p12 | ledger signing key |
        | `seals/<sealId>.p12` | one key + certificate per seal (CN = seal text, O = the body it acts for) |

        Add a seal: `sealctl pki issue-seal --id ID --text 印章文字 --org 机构 [--algorithm rsa|ecdsa|sm2]`.
        Trust the root for pdfsig: `certutil -N -d sql:DB --empty-password && certutil -A -d sql:DB -n dev-root -t CT,C,C -i root-ca.pem`.
        """;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex SealIdPattern();
}
