using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using SealService.Api.Auth;
using SealService.Api.Tests.Infrastructure;
using SealService.Cli;
using SealService.Cli.Commands;
using SealService.Domain.Ports;
using SealService.Storage.Sqlite;

namespace SealService.Api.Tests;

/// <summary>sealctl token and sealctl catalog import, run in-process on a temp data folder (no service running).</summary>
public sealed class CliTests(SealApiFactory factory) : IClassFixture<SealApiFactory>, IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sealctl-").FullName;

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand("sealctl");
        root.Options.Add(CliGlobals.DataOption);
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(CatalogCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Token_from_sealctl_is_accepted_by_the_host_with_its_claims()
    {
        var (code, output, _) = await Run("token", "--role", "township-clerk", "--township", "twp-mudan-shatu", "--name", "张三", "--minutes", "5");
        Assert.Equal(0, code);
        var me = await factory.CreateClient().WithToken(output.Trim()).GetFromJsonAsync<ApiCaller>("/api/v1/me");
        Assert.Equal(new ApiCaller("张三", SealClaims.TownshipClerk, null, "twp-mudan-shatu"), me);
    }

    [Fact]
    public async Task Token_for_a_clerk_without_township_is_refused()
    {
        var (code, output, error) = await Run("token", "--role", "township-clerk", "--name", "张三");
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("--township", error);
    }

    [Fact]
    public async Task Expired_token_from_sealctl_is_401_token_expired()
    {
        var (_, output, _) = await Run("token", "--role", "auditor", "--name", "审计", "--minutes", "-5");
        var response = await factory.CreateClient().WithToken(output.Trim()).GetAsync("/api/v1/me");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "TOKEN_EXPIRED");
    }

    [Fact]
    public async Task Catalog_import_seed_loads_364_rows_once_then_changes_nothing()
    {
        var first = await Run("--data", _data, "catalog", "import", "--seed");
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(5, first.Out.Trim().Split('\n').Length);
        Assert.Equal(364, Totals(first.Out, "inserted"));

        var again = await Run("catalog", "import", "--seed", "--data", _data);
        Assert.Equal(364, Totals(again.Out, "unchanged"));

        var store = await SqliteRegistryStore.OpenAsync(_data, CancellationToken.None);
        Assert.Equal(364, (await store.Matters.ListAsync(RegistryFilter.None, new PageRequest(0, 1), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Catalog_import_of_a_bad_file_names_file_and_line_and_imports_nothing()
    {
        var csv = Path.Combine(_data, "mine.csv");
        await File.WriteAllTextAsync(csv, "seq,mode,department,code,name,power_type,remark\n1,直接下放,区行政审批服务局,,某审批,行政许可,\n2,直接下放\n");
        var (code, _, error) = await Run("catalog", "import", "--file", csv, "--format", "zaozhuang-shanting", "--data", _data);
        Assert.Equal(1, code);
        Assert.Contains("CATALOGUE_ROW_INVALID", error);
        Assert.Contains("zaozhuang-shanting.csv:3:", error);

        var store = await SqliteRegistryStore.OpenAsync(_data, CancellationToken.None);
        Assert.Equal(0, (await store.Matters.ListAsync(RegistryFilter.None, new PageRequest(0, 1), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Catalog_import_of_one_file_reports_its_rows()
    {
        var csv = Path.Combine(_data, "zaozhuang-shanting.csv");
        using (var seed = SealService.Domain.Catalogue.SeedCatalogues.Open("zaozhuang-shanting.csv"))
            await File.WriteAllTextAsync(csv, await seed.ReadToEndAsync());
        var (code, output, error) = await Run("catalog", "import", "--file", csv, "--data", _data);
        Assert.True(code == 0, error);
        Assert.Equal("zaozhuang-shanting.csv: 13 rows (13 inserted, 0 updated, 0 unchanged)", output.Trim());
    }

    private static int Totals(string output, string word) =>
        output.Trim().Split('\n').Sum(line =>
        {
            var at = line.IndexOf(" " + word, StringComparison.Ordinal);
            var start = line.LastIndexOfAny(['(', ' '], at - 1) + 1;
            return int.Parse(line[start..at], System.Globalization.CultureInfo.InvariantCulture);
        });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
