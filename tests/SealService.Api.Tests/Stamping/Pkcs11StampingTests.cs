using System.Net;
using Org.BouncyCastle.X509;
using SealService.Api.Tests.Infrastructure;
using SealService.Keys;
using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;
using SealService.Ledger.Signing;
using SealService.TestSupport;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// The host with Keys:Provider=pkcs11: the demo seal's key and the ledger key live in the process's SoftHSM2 token,
/// generated there and certified by the committed dev CA before the host starts.
/// </summary>
public sealed class Pkcs11StampingHost : SealApiFactory
{
    public Pkcs11StampingHost()
        : this(Prepare())
    {
    }

    private Pkcs11StampingHost((Dictionary<string, string?> Settings, X509Certificate Seal, X509Certificate Ledger) prepared)
        : base(prepared.Settings)
    {
        SealCertificate = prepared.Seal;
        LedgerCertificate = prepared.Ledger;
    }

    public const string Seal = "seal-mudan-spj-shatu";

    public X509Certificate SealCertificate { get; }

    public X509Certificate LedgerCertificate { get; }

    public string RootPem => Path.Combine(AppContext.BaseDirectory, "certs-dev", "root-ca.pem");

    public SealService.Ledger.SealLedger Ledger => (SealService.Ledger.SealLedger)Services.GetService(typeof(SealService.Ledger.SealLedger))!;

    private static (Dictionary<string, string?>, X509Certificate, X509Certificate) Prepare()
    {
        var options = new Pkcs11Options { Library = SoftHsm.Module, TokenLabel = SoftHsm.Shared.Label, Pin = SoftHsm.UserPin };
        var ledgerReference = "ledger-" + Guid.NewGuid().ToString("N")[..8];
        using var store = new Pkcs11SealKeyStore(options, null);
        var pki = new DevPki(Path.Combine(AppContext.BaseDirectory, "certs-dev"));
        var seal = Pkcs11DevSeals.Create(store.Token, pki, Seal, "牡丹区行政审批服务局审批专用章（沙土镇）", "牡丹区行政审批服务局", SealKeyAlgorithm.Ecdsa);
        var ledger = Pkcs11DevSeals.CreateLedgerKey(store.Token, pki, ledgerReference, SealKeyAlgorithm.Rsa);
        var settings = new Dictionary<string, string?>
        {
            ["Auth:UseDevKey"] = "true",
            ["SealService:PublicBaseUrl"] = "https://seal.example.gov.cn",
            ["SealService:Stamping:PadesLevel"] = "B-T",
            ["Keys:Provider"] = "pkcs11",
            ["Keys:Pkcs11:Library"] = SoftHsm.Module,
            ["Keys:Pkcs11:TokenLabel"] = SoftHsm.TokenLabel,
            ["Keys:Pkcs11:Pin"] = SoftHsm.UserPin,
            ["Ledger:KeyReference"] = ledgerReference,
        };
        return (settings, seal, ledger);
    }
}

public sealed class Pkcs11StampingTests(Pkcs11StampingHost host) : IClassFixture<Pkcs11StampingHost>
{
    private const string Shatu = "twp-mudan-shatu";

    [Fact]
    public async Task A_stamp_is_signed_in_the_token_and_the_ledger_heads_with_the_tokens_ledger_key()
    {
        var clerk = host.Clerk(Shatu);
        var body = await (await clerk.StampJson(Template(Pkcs11StampingHost.Seal, "mat-heze-mudan-001", "decide", Shatu, "licence-decision", "HSM-2026-000001")))
            .Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(body.Str("documentId"));

        var report = Assert.Single(PdfChecks.AssertValid(pdf, host.RootPem, expectedSignatures: 1));
        Assert.NotNull(report.TimestampTime);
        var signer = new Org.BouncyCastle.Cms.CmsSignedData(report.Cms!).GetCertificates().EnumerateMatches(null).Single(c => !c.IsCA());
        Assert.Equal(host.SealCertificate, signer); // the token's key signed, not a dev file issued on demand
        var path = Path.Combine(host.DataDirectory, "hsm.pdf");
        File.WriteAllBytes(path, pdf);
        var openssl = ExternalTools.OpenSslVerifyLastSignature(path, host.RootPem);
        Assert.True(openssl.ExitCode == 0, openssl.All);
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "dev-keys", "seals", Pkcs11StampingHost.Seal + ".p12")));

        var head = await host.Ledger.IssueTreeHeadAsync();
        Assert.Equal(LedgerKeyId.Of(host.LedgerCertificate), head.KeyId);
        Assert.True(new TreeHeadVerifier(host.LedgerCertificate).Verify(head));
        var verified = await (await host.Auditor().PostAsync("/api/v1/ledger/verify", null)).Json();
        Assert.True(verified.GetProperty("isValid").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task An_upload_asking_for_b_lt_is_signed_in_the_token_and_carries_its_validation_data()
    {
        var clerk = host.Clerk(Shatu);
        var request = WithLevel(Upload(Pkcs11StampingHost.Seal, "mat-heze-mudan-001", "decide", Shatu, "HSM-2026-000002"), "B-LT");
        var body = await (await clerk.StampUpload(request, TestPdfs.Plain())).Json(HttpStatusCode.Created);
        var pdf = await clerk.Download(body.Str("documentId"));

        var report = PdfChecks.AssertLongTerm(pdf, host.RootPem, "B-LT");
        var path = Path.Combine(host.DataDirectory, "hsm-b-lt.pdf");
        File.WriteAllBytes(path, pdf);
        var openssl = ExternalTools.OpenSslVerifyLastSignature(path, host.RootPem); // the seal's: the DSS update is no signature
        Assert.True(openssl.ExitCode == 0, openssl.All);
        Assert.Equal(host.SealCertificate, new Org.BouncyCastle.Cms.CmsSignedData(report.Cms!).GetCertificates().EnumerateMatches(null).Single(c => !c.IsCA()));
    }
}

internal static class CertificateExtensions
{
    public static bool IsCA(this X509Certificate certificate) => certificate.GetBasicConstraints() >= 0;
}
