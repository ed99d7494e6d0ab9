using System.Net;
using SealService.Api.Tests.Infrastructure;
using SealService.Domain.Catalogue;

namespace SealService.Api.Tests;

/// <summary>POST /catalogs/import: all or nothing, idempotent, registry-admin only.</summary>
public sealed class CatalogImportTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    private const string File = "zaozhuang-shanting.csv";

    private static string[] SeedLines()
    {
        using var reader = SeedCatalogues.Open(File);
        return reader.ReadToEnd().TrimEnd('\n').Split('\n');
    }

    private Task<HttpResponseMessage> Import(HttpClient client, string csv, string file = File) =>
        client.PostRaw($"/api/v1/catalogs/import?file={file}", csv, "text/csv");

    [Fact]
    public async Task Reimporting_the_seed_file_changes_nothing()
    {
        var result = await (await Import(factory.Admin(), string.Join('\n', SeedLines()))).Json();
        Assert.Equal(13, result.GetProperty("total").GetInt32());
        Assert.Equal(13, result.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, result.GetProperty("inserted").GetInt32());
    }

    [Fact]
    public async Task A_bad_row_is_422_with_file_and_line_and_nothing_of_the_file_is_imported()
    {
        var admin = factory.Admin();
        var matterId = CatalogueParser.MatterId("zaozhuang-shanting", 2);
        var before = (await admin.GetJson($"/api/v1/matters/{matterId}")).Str("name");

        var lines = SeedLines();
        lines[2] = lines[2].Replace("基本医疗保险", "已改名的医疗保险", StringComparison.Ordinal); // row seq 2, would be an update
        lines[5] = "5,直接下放,区人社局"; // too few columns, file line 6
        var problem = await (await Import(admin, string.Join('\n', lines))).AssertProblem(HttpStatusCode.UnprocessableEntity, "CATALOGUE_ROW_INVALID");
        Assert.Equal(File, problem.Str("file"));
        Assert.Equal(6, problem.GetProperty("line").GetInt32());
        Assert.StartsWith($"{File}:6:", problem.Str("detail"));

        Assert.Equal(before, (await admin.GetJson($"/api/v1/matters/{matterId}")).Str("name"));
    }

    [Fact]
    public async Task Unknown_file_format_is_422()
    {
        await (await Import(factory.Admin(), "a,b\n1,2", "my-list.csv")).AssertProblem(HttpStatusCode.UnprocessableEntity, "CATALOGUE_UNKNOWN_FORMAT");
    }

    [Fact]
    public async Task Missing_file_name_is_400_validation_failed()
    {
        await (await factory.Admin().PostRaw("/api/v1/catalogs/import", "seq\n1", "text/csv")).AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Theory]
    [InlineData("department-officer")]
    [InlineData("auditor")]
    public async Task Only_registry_admin_imports(string role)
    {
        var client = factory.As(role, department: "dept-mudan-spj");
        await (await Import(client, string.Join('\n', SeedLines()))).AssertProblem(HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
