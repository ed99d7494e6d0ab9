using System.Globalization;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// The real host with stamping configured for tests: a 1 MiB upload limit (413 tests stay small) and, when given, a
/// supervision webhook with short back-off.
/// </summary>
public class StampingApiFactory : SealApiFactory
{
    public const long UploadLimit = 1024 * 1024;

    public StampingApiFactory()
        : this(null)
    {
    }

    protected StampingApiFactory(string? webhookUrl)
        : base(Settings(webhookUrl))
    {
    }

    /// <summary>The dev root the host issued the seal certificates under (copied into the data folder).</summary>
    public string RootPem => Path.Combine(DataDirectory, "dev-keys", "root-ca.pem");

    private static Dictionary<string, string?> Settings(string? webhookUrl)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["SealService:Stamping:MaxUploadBytes"] = UploadLimit.ToString(CultureInfo.InvariantCulture),
            ["SealService:Stamping:NumberPatterns:seal-mudan-spj-shatu"] = "牡审沙〔{year}〕{seq:0000}号",
        };
        if (webhookUrl is not null)
        {
            settings["SealService:Supervision:WebhookUrl"] = webhookUrl;
            settings["SealService:Supervision:InitialDelay"] = "00:00:00.100";
            settings["SealService:Supervision:PollInterval"] = "00:00:00.050";
            settings["SealService:Supervision:MaxAttempts"] = "4";
        }

        return settings;
    }
}
