using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Org.BouncyCastle.X509;
using SealService.Keys.Cms;
using SealService.Keys.Crypto;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;

namespace SealService.Keys.Store;

/// <summary>
/// PKCS#12 files under <see cref="FileKeyStoreOptions.Directory"/>; each file is parsed once and
/// its key kept imported (in .NET/OpenSSL for RSA and ECDSA) for the life of the store.
/// </summary>
public sealed partial class FileSealKeyStore : ISealKeyStore, IDisposable
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

    public async Task<SealKey> GetAsync(string keyReference, SealCertificateSubject? issueIfMissing = null, CancellationToken cancellationToken = default)
    {
        if (keyReference is null || !KeyReferencePattern().IsMatch(keyReference))
        {
            throw new KeysException(KeyErrorCodes.KeyReferenceInvalid, "A key reference looks like 'seals/<sealId>' (a-z, 0-9, '-', '_', '.'; at most 100 characters).");
        }

        var lazy = _cache.GetOrAdd(keyReference, r => new Lazy<Task<Loaded>>(() => LoadAsync(r, issueIfMissing, cancellationToken)));
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
        if (keyReference is null || !KeyReferencePattern().IsMatch(keyReference) || (!_cache.ContainsKey(keyReference)
            && !File.Exists(Path.Combine(_options.Directory, keyReference + ".p12"))))
        {
            return null; // no key yet: a development seal's is issued at its first stamp, with the registry's text
        }

        return (await GetAsync(keyReference, null, cancellationToken).ConfigureAwait(false)).Certificate;
    }

    public void Dispose()
    {
        foreach (var entry in _cache.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                entry.Value.Result.SigningKey.Dispose();
            }
        }

        _issueLock.Dispose();
    }

    private async Task<Loaded> LoadAsync(string keyReference, SealCertificateSubject? issueIfMissing, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_options.Directory, keyReference + ".p12");
        if (!File.Exists(path))
        {
            await IssueDevSealAsync(keyReference, path, issueIfMissing, cancellationToken).ConfigureAwait(false);
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

        SealCertificateProfile.Require(content.Certificate);
        var signingKey = SigningKey.FromPrivateKey(content.PrivateKey, _options.Sm2DistinguishingId);
        var creator = new CadesSignatureCreator(signingKey, content.Certificate, content.Intermediates, _tsa);
        return new Loaded(new SealKey(keyReference, creator, content.Certificate, content.Chain), signingKey);
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
                    overwrite: replace);
            }
        }
        finally
        {
            _issueLock.Release();
        }
    }

    private sealed record Loaded(SealKey Key, SigningKey SigningKey);

    [GeneratedRegex("^(seals/)?[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex KeyReferencePattern();
}
