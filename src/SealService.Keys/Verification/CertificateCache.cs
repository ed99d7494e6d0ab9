using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.X509;

namespace SealService.Keys.Verification;

/// <summary>
/// Parsed certificates by DER hash. BouncyCastle validates an RSA modulus each time it builds a
/// public key (~14 ms on this machine) and caches the key inside the certificate object, so
/// reusing the object makes the second and later checks of the same chain cheap.
/// </summary>
internal static class CertificateCache
{
    private const int MaxEntries = 1024;
    private static readonly ConcurrentDictionary<string, X509Certificate> Entries = new(StringComparer.Ordinal);

    public static X509Certificate Get(byte[] der)
    {
        var key = Convert.ToHexString(SHA256.HashData(der));
        if (Entries.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (Entries.Count >= MaxEntries)
        {
            Entries.Clear();
        }

        return Entries.GetOrAdd(key, new X509Certificate(der));
    }
}
