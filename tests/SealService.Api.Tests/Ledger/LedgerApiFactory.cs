using System.Globalization;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;

namespace SealService.Api.Tests.Ledger;

/// <summary>The real host with stamping, and a ledger whose heads are signed only on demand (so "pending" is observable).</summary>
public sealed class LedgerApiFactory : SealApiFactory
{
    public LedgerApiFactory()
        : base(new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["SealService:Stamping:MaxUploadBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Ledger:TreeHeadInterval"] = "00:00:00",
            ["Ledger:TreeHeadEveryEntries"] = "1000000",
        })
    {
    }

    public SealLedger Ledger => (SealLedger)Services.GetService(typeof(SealLedger))!;

    public string Database => Path.Combine(DataDirectory, "registry.db");
}
