using SealService.Keys.Pki;

namespace SealService.Keys.Tsa;

public static class TimeStampAuthorities
{
    /// <summary>
    /// The configured TSA when <see cref="TimeStampOptions.Url"/> is set, otherwise the built-in
    /// development TSA from <paramref name="devPkiDirectory"/> (tsa.p12).
    /// </summary>
    public static ITimeStampAuthority Create(TimeStampOptions options, HttpClient http, string devPkiDirectory, string passphrase) =>
        string.IsNullOrWhiteSpace(options.Url)
            ? new DevPki(devPkiDirectory, passphrase).CreateTimeStampAuthority()
            : new HttpTimeStampAuthority(http, options);
}
