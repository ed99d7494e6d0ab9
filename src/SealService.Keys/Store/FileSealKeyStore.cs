using System.Collections.Concurrent;
using Org.BouncyCastle.X509;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Signing;
using SealService.Keys.Tsa;

namespace SealService.Keys.Store;

/// <summary>
/// PKCS#12 files under <see cref="FileKeyStoreOptions.Directory"/>; each file is parsed once and
/// its key kept imported (in .NET/OpenSSL for RSA and ECDSA) for the life of the store.
/// </summary>
public sealed class FileSealKeyStore : ISealKeyStore, IDevSealIssuer, IDisposable
{
    private readonly FileKeyStoreOptions _options;
    private readonly ITimeStampAuthority? _tsa;
    private readonly ConcurrentDictionary<string, Lazy<Task<Loaded>>> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _issueLock = new(1, 1);

    /// <summary>The seals folder exists and can be listed (a key file's passphrase is checked when it is used).</summary>
    public Task<string?> ProblemAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(_options.Directory, "seals");
        try
        {
            if (!Directory.Exists(folder))
            {
                return Task.FromResult<string?>(_options.IssueMissingDevSeals ? null : $"the seal key folder {folder} does not exist");
            }

            _ = Directory.EnumerateFiles(folder, "*.p12").Take(1).ToList();
            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"the seal key folder cannot be read: {e.Message}");
        }
    }

    public FileSealKeyStore(FileKeyStoreOptions options, ITimeStampAuthority? timeStampAuthority)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new ArgumentException("FileKeyStoreOptions.Directory is required.", nameof(options));
        }

        _options = options;
        _tsa = timeStampAuthority;
    }

    public async Task<SealKey> GetAsync(string keyReference, CancellationToken cancellationToken = default)
    {
        KeyReferences.Require(keyReference);
        var lazy = _cache.GetOrAdd(keyReference, r => new Lazy<Task<Loaded>>(() => LoadAsync(r, cancellationToken)));
        try
        {
            return (await lazy.Value.ConfigureAwait(false)).Key;
        }
        catch
        {
            // Do not cache failures: the file may appear or the passphrase be fixed later.
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<Loaded>>>(keyReference, lazy));
            throw;
        }
    }

    public async Task<X509Certificate?> FindCertificateAsync(string keyReference, CancellationToken cancellationToken = default)
    {
        if (!KeyReferences.IsValid(keyReference) || (!_cache.ContainsKey(keyReference)
            && !File.Exists(Path.Combine(_options.Directory, keyReference + ".p12"))))
        {
            return null; // no key yet: a development seal's is issued at its first stamp, with the registry's text
        }

        return (await GetAsync(keyReference, cancellationToken).ConfigureAwait(false)).Certificate;
    }

    /// <summary>Issues a development seal's key when its file does not exist yet (only with IssueMissingDevSeals).</summary>
    public async Task EnsureAsync(string keyReference, SealCertificateSubject subject, CancellationToken cancellationToken = default)
    {
        KeyReferences.Require(keyReference);
        var path = Path.Combine(_options.Directory, keyReference + ".p12");
        if (!_cache.ContainsKey(keyReference) && !File.Exists(path))
        {
            await IssueDevSealAsync(keyReference, path, subject, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var entry in _cache.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                entry.Value.Result.Signer.Dispose();
            }
        }

        _issueLock.Dispose();
    }

    private async Task<Loaded> LoadAsync(string keyReference, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_options.Directory, keyReference + ".p12");
        if (!File.Exists(path))
        {
            throw new KeysException(KeyErrorCodes.KeyNotFound, $"No key file for '{keyReference}'.");
        }

        var content = Pkcs12Files.Load(path, _options.Passphrase);
        if (!SealCertificateProfile.IsSealCertificate(content.Certificate) && IsStaleDevSeal(keyReference, content))
        {
            // A development seal issued before seal certificates carried their policy: issue it again, same subject.
            await IssueDevSealAsync(keyReference, path, new SealCertificateSubject(
                Rdn(content.Certificate, Org.BouncyCastle.Asn1.X509.X509Name.CN) ?? keyReference,
                Rdn(content.Certificate, Org.BouncyCastle.Asn1.X509.X509Name.O) ?? "SealService development"), cancellationToken, replace: true).ConfigureAwait(false);
            content = Pkcs12Files.Load(path, _options.Passphrase);
        }

        if (keyReference.StartsWith(KeyReferences.SealPrefix, StringComparison.Ordinal))
        {
            SealCertificateProfile.Require(content.Certificate); // a seal key; "ledger" and other service keys have their own profiles
        }
        var signer = SoftwareSigner.Create(content, _options.Sm2DistinguishingId);
        return new Loaded(new SealKey(keyReference, signer, new CadesSignatureCreator(signer, _tsa)), signer);
    }

    private bool IsStaleDevSeal(string keyReference, Pkcs12Content content) =>
        _options.IssueMissingDevSeals && keyReference.StartsWith("seals/", StringComparison.Ordinal)
        && Rdn(content.Certificate, Org.BouncyCastle.Asn1.X509.X509Name.OU) == DevPki.DevelopmentMarker;

    private static string? Rdn(Org.BouncyCastle.X509.X509Certificate certificate, Org.BouncyCastle.Asn1.DerObjectIdentifier oid) =>
        certificate.SubjectDN.GetValueList(oid) is { Count: > 0 } values ? values[0] : null;

    private async Task IssueDevSealAsync(string keyReference, string path, SealCertificateSubject? subject, CancellationToken cancellationToken, bool replace = false)
    {
        const string prefix = "seals/";
        if (!_options.IssueMissingDevSeals || !keyReference.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new KeysException(KeyErrorCodes.KeyNotFound, $"No key file for '{keyReference}'.");
        }

        var sealId = keyReference[prefix.Length..];
        await _issueLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (replace || !File.Exists(path))
            {
                var pki = new DevPki(_options.Directory, _options.Passphrase);
                pki.IssueSealCertificate(
                    sealId,
                    subject?.SealText ?? sealId,
                    subject?.Organisation ?? "SealService development",
                    subject?.Algorithm ?? _options.DevSealAlgorithm,
                    overwrite: replace,
                    revocation: RevocationUrls.Of(_options.DevCrlUrl, _options.DevOcspUrl));
            }
        }
        finally
        {
            _issueLock.Release();
        }
    }

    private sealed record Loaded(SealKey Key, SoftwareSigner Signer);
}
