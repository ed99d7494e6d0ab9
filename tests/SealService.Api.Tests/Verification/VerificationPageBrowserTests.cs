using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealService.Api.Tests.Infrastructure;
using SealService.Ledger;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Verification;

/// <summary>
/// The public page in a real browser (Debian's Chromium driven by Playwright): the QR target of a stamped document, and
/// uploads of a valid and of an altered copy. Screenshots go to artifacts/screenshots at the repository root.
/// </summary>
public sealed class VerificationPageBrowserTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Fact]
    public async Task The_qr_target_and_uploads_of_a_valid_and_an_altered_copy_show_their_verdicts()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var stamped = await (await clerk.StampJson(Template(sc.Seal, sc.MatterA, "decide", sc.TownX, "licence-decision", "VER-BROWSER-1"))).Json(HttpStatusCode.Created);
        var id = stamped.Str("documentId");
        await factory.Services.GetRequiredService<SealLedger>().IssueTreeHeadAsync();
        var pdf = await clerk.Download(id);
        var folder = Directory.CreateTempSubdirectory("verify-page-").FullName;
        var issuedCopy = Path.Combine(folder, "issued.pdf");
        var alteredCopy = Path.Combine(folder, "altered.pdf");
        await File.WriteAllBytesAsync(issuedCopy, pdf);
        await File.WriteAllBytesAsync(alteredCopy, VerificationTests.AppendContentChange(pdf));
        var baseUrl = factory.CreateClient().BaseAddress!.ToString().TrimEnd('/');

        var page = await _browser!.NewPageAsync();
        var qr = await page.GotoAsync($"{baseUrl}/verify/{id}");
        Assert.Equal(200, qr!.Status);
        Assert.Equal("有效：签章真实，文件自签章后未被改动", await page.InnerTextAsync(".verdict"));
        Assert.Contains("测试县甲局审批专用章", await page.InnerTextAsync("table"));
        Assert.Equal("pass", await page.GetAttributeAsync("li[data-code=LEDGER_INCLUDED]", "class"));
        // The seal image as stamped: loaded and drawn (a broken image has no natural width).
        Assert.Equal(600, await page.EvalOnSelectorAsync<int>("a.seal img", "img => img.complete ? img.naturalWidth : -1"));
        await Screenshot(page, "verify-qr-target");

        // The visitor compares the copy they hold with the issued one.
        await page.SetInputFilesAsync("input[name=file]", alteredCopy);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync(".verdict.altered");
        Assert.StartsWith("已被改动", await page.InnerTextAsync(".verdict"));
        Assert.Contains("不是签发的原件", await page.InnerTextAsync("body"));
        await Screenshot(page, "verify-altered-copy");

        await page.GotoAsync($"{baseUrl}/verify");
        await page.SetInputFilesAsync("input[name=file]", issuedCopy);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync(".verdict");
        Assert.Equal("有效：签章真实，文件自签章后未被改动", await page.InnerTextAsync(".verdict"));
        await Screenshot(page, "verify-valid-upload");

        // The print stylesheet leaves the upload form out of the filed report.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.IsVisibleAsync("form"));
        Directory.Delete(folder, recursive: true);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var dir = Path.Combine(Repository.TryRoot() ?? Path.GetTempPath(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
