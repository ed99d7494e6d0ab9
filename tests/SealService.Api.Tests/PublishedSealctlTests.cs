using System.Net.Http.Json;
using System.Reflection.PortableExecutable;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;
using SealService.TestSupport;

namespace SealService.Api.Tests;

/// <summary>
/// The README's way to put sealctl on the PATH: scripts/publish.sh builds it precompiled (ReadyToRun) and links it into
/// a bin folder; the link works from any working folder and its token is accepted by the host.
/// </summary>
public sealed class PublishedSealctlTests(SealApiFactory factory) : IClassFixture<SealApiFactory>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sealctl-publish-").FullName;

    [Fact]
    public async Task Publish_script_links_a_precompiled_sealctl_that_runs_from_any_folder()
    {
        var output = Path.Combine(_root, "publish");
        var bin = Path.Combine(_root, "bin");
        var publish = ExternalTools.RunIn(TimeSpan.FromMinutes(10), Repository.Root, Path.Combine(Repository.Root, "scripts", "publish.sh"),
            "--only", "sealctl", "--out", output, "--bin", bin);
        Assert.True(publish.ExitCode == 0, publish.All);

        using (var pe = new PEReader(File.OpenRead(Path.Combine(output, "sealctl", "sealctl.dll"))))
        {
            // A ReadyToRun image carries native code in a managed-native header; an IL-only build has none.
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "sealctl.dll is not ReadyToRun");
        }

        var link = Path.Combine(bin, "sealctl");
        Assert.True(File.ResolveLinkTarget(link, returnFinalTarget: false) is not null, "sealctl is not a link");
        var token = ExternalTools.RunIn(Path.GetTempPath(), link, "token", "--role", "township-clerk", "--township", "twp-mudan-shatu", "--name", "张三");
        Assert.True(token.ExitCode == 0, token.StdErr);
        var me = await factory.CreateClient().WithToken(token.StdOut.Trim()).GetFromJsonAsync<ApiCaller>("/api/v1/me");
        Assert.Equal(new ApiCaller("张三", SealClaims.TownshipClerk, null, "twp-mudan-shatu"), me);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
