using System.Diagnostics;
using System.Security.Cryptography;

namespace SealService.LoadGen;

/// <summary>The raw cost of what every stamp must do at least once: one RSA-2048 PKCS#1 v1.5 SHA-256 signature, on one thread.</summary>
internal static class RsaBaseline
{
    public static double SignsPerSecond(TimeSpan duration)
    {
        using var rsa = RSA.Create(2048);
        var hash = SHA256.HashData("SealService RSA baseline"u8);
        var signature = new byte[256];
        for (var i = 0; i < 20; i++) // warm up
            rsa.TrySignHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out _);

        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 10; i++)
            {
                if (!rsa.TrySignHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out _))
                    throw new CryptographicException("signature buffer too small");
            }

            count += 10;
        }

        return count / clock.Elapsed.TotalSeconds;
    }
}
