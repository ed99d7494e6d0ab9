using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.Keys.Store;
using SealService.Keys.Tsa;

namespace SealService.Keys.Pkcs11;

/// <summary>
/// Seal keys inside a PKCS#11 token (an HSM; SoftHSM2 in tests). A key reference names a private key and the
/// certificate stored beside it (same label or id); the chain comes from the token's CA certificates and the
/// optional chain file. Signers are built once per key and reuse pooled sessions.
/// </summary>
public sealed class Pkcs11SealKeyStore : ISealKeyStore, IDisposable
{
    private readonly Pkcs11Options _options;
    private readonly ITimeStampAuthority? _tsa;
    private readonly ConcurrentDictionary<string, Lazy<Task<SealKey>>> _cache = new(StringComparer.Ordinal);
    private readonly Lock _openLock = new();
    private Pkcs11Token? _token;

    public Pkcs11SealKeyStore(Pkcs11Options options, ITimeStampAuthority? timeStampAuthority)
    {
        _options = options;
        _tsa = timeStampAuthority;
    }

    /// <summary>The open token (opened and logged in on first use; a failure is retried on the next call).</summary>
    public Pkcs11Token Token
    {
        get
        {
            lock (_openLock)
            {
                return _token ??= Pkcs11Token.Open(_options);
            }
        }
    }

    public async Task<SealKey> GetAsync(string keyReference, CancellationToken cancellationToken = default)
    {
        KeyReferences.Require(keyReference);
        var lazy = _cache.GetOrAdd(keyReference, r => new Lazy<Task<SealKey>>(() => LoadAsync(r, cancellationToken)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<SealKey>>>(keyReference, lazy));
            throw;
        }
    }

    public Task<string?> ProblemAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            _ = Token;
            return Task.FromResult<string?>(null);
        }
        catch (KeysException e)
        {
            return Task.FromResult<string?>(e.Message); // messages name the module, slot or PIN problem, never the PIN
        }
    }

    public void Dispose() => _token?.Dispose();

    private async Task<SealKey> LoadAsync(string keyReference, CancellationToken cancellationToken)
    {
        var token = Token;
        var extraChain = ReadChainFile();
        var (handle, keyType, certificate, pool) = await token.RunAsync(session =>
        {
            var key = Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, _options.Match, keyReference)
                ?? throw new KeysException(KeyErrorCodes.KeyNotFound, $"The token '{token.Label}' has no private key '{keyReference}'.");
            var type = (CKK)session.GetAttributeValue(key, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();
            var certificateHandle = Pkcs11Objects.Find(session, CKO.CKO_CERTIFICATE, _options.Match, keyReference)
                ?? throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"The token has a key '{keyReference}' but no certificate beside it.");
            return (key, type, Pkcs11Objects.ReadCertificate(session, certificateHandle), Pkcs11Objects.AllCertificates(session));
        }, cancellationToken).ConfigureAwait(false);

        var algorithm = AlgorithmOf(certificate, keyType, keyReference);
        if (keyReference.StartsWith(KeyReferences.SealPrefix, StringComparison.Ordinal))
        {
            SealCertificateProfile.Require(certificate);
        }

        var signer = new Pkcs11Signer(token, handle, algorithm, certificate, ChainOf(certificate, [.. pool, .. extraChain]));
        return new SealKey(keyReference, signer, new CadesSignatureCreator(signer, _tsa));
    }

    private static SealKeyAlgorithm AlgorithmOf(X509Certificate certificate, CKK keyType, string keyReference)
    {
        var publicKey = certificate.GetPublicKey();
        return (publicKey, keyType) switch
        {
            (RsaKeyParameters, CKK.CKK_RSA) => SealKeyAlgorithm.Rsa,
            (ECPublicKeyParameters ec, CKK.CKK_EC) when !Sm2.IsSm2(ec) && ec.Parameters.Curve.FieldSize == 256 => SealKeyAlgorithm.Ecdsa,
            (ECPublicKeyParameters ec, _) when Sm2.IsSm2(ec) => throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported,
                $"'{keyReference}' is an SM2 key: PKCS#11 has no standard SM2 mechanism, and no vendor mechanism is configured."),
            _ => throw new KeysException(KeyErrorCodes.KeyAlgorithmUnsupported,
                $"'{keyReference}': the token's key ({keyType}) does not match its certificate's, or is neither RSA nor P-256."),
        };
    }

    /// <summary>Issuer first, by name and signature, from the certificates at hand; stops at a root or an unknown issuer.</summary>
    internal static List<X509Certificate> ChainOf(X509Certificate certificate, IReadOnlyList<X509Certificate> pool)
    {
        var chain = new List<X509Certificate>();
        var current = certificate;
        while (chain.Count < 8 && !current.SubjectDN.Equivalent(current.IssuerDN))
        {
            var issuer = pool.FirstOrDefault(c => c.SubjectDN.Equivalent(current.IssuerDN) && Verification.CmsSignatureVerifier.SignedBy(current, c));
            if (issuer is null)
            {
                break;
            }

            chain.Add(issuer);
            current = issuer;
        }

        return chain;
    }


    private List<X509Certificate> ReadChainFile()
    {
        if (string.IsNullOrWhiteSpace(_options.ChainFile))
        {
            return [];
        }

        try
        {
            using var reader = new StreamReader(_options.ChainFile);
            var pem = new Org.BouncyCastle.OpenSsl.PemReader(reader);
            var certificates = new List<X509Certificate>();
            while (pem.ReadObject() is { } item)
            {
                if (item is X509Certificate c)
                {
                    certificates.Add(c);
                }
            }

            return certificates;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"Keys:Pkcs11:ChainFile {_options.ChainFile} cannot be read: {e.Message}");
        }
    }
}
