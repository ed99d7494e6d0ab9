using SealService.Keys.Pki;

namespace SealService.Keys.Tsa;

public static class TimeStampAuthorities
{
    /// <summary>
    /// The configured TSA when <see cref="TimeStampOptions.Url"/> is set, otherwise the built-in
    /// development TSA from <paramref name="devPkiDirectory"/> (tsa.p12), on the host's clock.
    /// </summary>
    public static ITimeStampAuthority Create(TimeStampOptions options, HttpClient http, string devPkiDirectory, string passphrase, TimeProvider? clock = null) =>
        string.IsNullOrWhiteSpace(options.Url)
            ? new DevPki(devPkiDirectory, passphrase).CreateTimeStampAuthority(clock)
            : new HttpTimeStampAuthority(http, options);
}
