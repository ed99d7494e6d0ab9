using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Store;

/// <summary>
/// A private key with its certificate and the chain above it (issuer first, root last). The key is internal:
/// outside this assembly a PKCS#12 file is used through <see cref="Signing.SoftwareSigner"/>.
/// </summary>
public sealed record Pkcs12Content(X509Certificate Certificate, IReadOnlyList<X509Certificate> Chain)
{
    internal Pkcs12Content(AsymmetricKeyParameter privateKey, X509Certificate certificate, IReadOnlyList<X509Certificate> chain)
        : this(certificate, chain) => PrivateKey = privateKey;

    internal AsymmetricKeyParameter PrivateKey { get; } = null!;

    /// <summary>Chain without self-signed roots: what a CMS should embed.</summary>
    public IReadOnlyList<X509Certificate> Intermediates =>
        Chain.Where(c => !c.SubjectDN.Equivalent(c.IssuerDN)).ToList();
}

/// <summary>PKCS#12 reading and writing (BouncyCastle, so SM2 keys work too).</summary>
public static class Pkcs12Files
{
    /// <summary>Files above this size are refused before parsing.</summary>
    public const int MaxFileSize = 1 << 20;

    public static Pkcs12Content Load(string path, string passphrase)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new KeysException(KeyErrorCodes.KeyNotFound, $"Key file '{path}' does not exist.");
        }

        if (info.Length > MaxFileSize)
        {
            throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"Key file '{path}' is larger than {MaxFileSize} bytes.");
        }

        return Read(File.ReadAllBytes(path), passphrase, path);
    }

    public static Pkcs12Content Read(byte[] data, string passphrase, string name = "PKCS#12 data")
    {
        var store = new Pkcs12StoreBuilder().Build();
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            store.Load(stream, passphrase.ToCharArray());
        }
        catch (IOException ex) when (ex.Message.Contains("wrong password", StringComparison.OrdinalIgnoreCase)
                                     || ex.Message.Contains("MAC invalid", StringComparison.OrdinalIgnoreCase))
        {
            throw new KeysException(KeyErrorCodes.KeyPassphraseInvalid, $"Wrong passphrase for {name}.", ex);
        }
        catch (Exception ex) when (ex is IOException or Org.BouncyCastle.Asn1.Asn1Exception or ArgumentException or InvalidCastException or Org.BouncyCastle.Crypto.CryptoException)
        {
            throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"{name} is not a readable PKCS#12 file.", ex);
        }

        var alias = store.Aliases.FirstOrDefault(store.IsKeyEntry)
            ?? throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"{name} holds no private key.");
        var chain = store.GetCertificateChain(alias)?.Select(e => e.Certificate).ToList() ?? [];
        if (chain.Count == 0)
        {
            var single = store.GetCertificate(alias)?.Certificate
                ?? throw new KeysException(KeyErrorCodes.KeyFileInvalid, $"{name} holds no certificate for its key.");
            chain.Add(single);
        }

        return new Pkcs12Content(store.GetKey(alias).Key, chain[0], chain.Skip(1).ToList());
    }

    /// <summary>Writes key + chain with PBES2/AES-256 and HMAC-SHA256 (OpenSSL 3 reads it without the legacy provider).</summary>
    public static void Save(string path, string passphrase, string friendlyName, AsymmetricKeyParameter privateKey, X509Certificate certificate, IEnumerable<X509Certificate> chain)
    {
        var store = new Pkcs12StoreBuilder()
            .SetKeyAlgorithm(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256)
            .SetCertAlgorithm(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256)
            .Build();
        var entries = new[] { certificate }.Concat(chain).Select(c => new X509CertificateEntry(c)).ToArray();
        store.SetKeyEntry(friendlyName, new AsymmetricKeyEntry(privateKey), entries);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var stream = File.Create(temp))
        {
            store.Save(stream, passphrase.ToCharArray(), new SecureRandom());
        }

        File.Move(temp, path, overwrite: true);
    }
}
