using SealService.Domain.Application;
using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Ports;

namespace SealService.Storage.Tests;

public abstract class CatalogueImportTestsContract(IStoreEngine engine)
{
    private static string Seed(string file)
    {
        using var r = SeedCatalogues.Open(file);
        return r.ReadToEnd();
    }

    private static async Task<int> CountAsync(TestStore t, string region) =>
        (await t.Store.Matters.ListAsync(new RegistryFilter(RegionId: region), new PageRequest(0, 1), default)).Total;

    [Fact]
    public async Task Import_is_idempotent_and_updates_changed_rows_by_natural_key()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        var importer = new CatalogueImporter(t.Store);
        var text = Seed("heze-mudan.csv");

        var first = await importer.ImportAsync(TestStore.Admin, new StringReader(text), "heze-mudan.csv", default);
        Assert.Equal((50, 0, 0), (first.Inserted, first.Updated, first.Unchanged));
        var again = await importer.ImportAsync(TestStore.Admin, new StringReader(text), "heze-mudan.csv", default);
        Assert.Equal((0, 0, 50), (again.Inserted, again.Updated, again.Unchanged));

        var renamed = text.Replace("1,个体工商户登记注册,", "1,个体工商户登记注册（更名）,", StringComparison.Ordinal);
        var changed = await importer.ImportAsync(TestStore.Admin, new StringReader(renamed), "heze-mudan.csv", default);
        Assert.Equal((0, 1, 49), (changed.Inserted, changed.Updated, changed.Unchanged));
        Assert.Equal("个体工商户登记注册（更名）", (await t.Store.Matters.GetAsync("mat-heze-mudan-001", default))!.Name);
        Assert.Equal(50, await CountAsync(t, "reg-mudan"));
    }

    [Fact]
    public async Task A_malformed_row_rejects_the_whole_file_with_file_and_line()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        var importer = new CatalogueImporter(t.Store);
        var lines = Seed("hanzhong-mianxian.csv").Split('\n').ToList();
        lines[120] = lines[120].Replace("行政许可", "行政许 可", StringComparison.Ordinal).Replace("公共服务", "公 共服务", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<CatalogueException>(() =>
            importer.ImportAsync(TestStore.Admin, new StringReader(string.Join('\n', lines)), "hanzhong-mianxian.csv", default));
        Assert.Equal(ErrorCodes.CatalogueRowInvalid, e.Code);
        Assert.StartsWith("hanzhong-mianxian.csv:121:", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(t, "reg-mianxian"));
    }

    [Fact]
    public async Task A_malformed_reimport_leaves_the_previous_import_untouched()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        var importer = new CatalogueImporter(t.Store);
        await importer.ImportAsync(TestStore.Admin, new StringReader(Seed("zaozhuang-shanting.csv")), "zaozhuang-shanting.csv", default);

        var bad = Seed("zaozhuang-shanting.csv")
            .Replace("在城市建筑物", "改名了：在城市建筑物", StringComparison.Ordinal)
            .Replace("13,服务窗口前移", "13,随便下放", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<CatalogueException>(() =>
            importer.ImportAsync(TestStore.Admin, new StringReader(bad), "zaozhuang-shanting.csv", default));
        Assert.Equal(14, e.Line);
        Assert.StartsWith("在城市建筑物", (await t.Store.Matters.GetAsync("mat-zaozhuang-shanting-001", default))!.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_that_fails_in_the_database_writes_nothing()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        var batch = SeedCatalogues.ParseAll().Single(b => b.File == "heze-mudan.csv");
        // The last matter points at a department the batch does not create: the insert fails after 49 rows.
        var broken = batch with { Matters = [.. batch.Matters.SkipLast(1), batch.Matters[^1] with { DepartmentId = "dept-mudan-missing" }] };

        var e = await Assert.ThrowsAsync<DomainException>(() => t.Store.ImportCatalogueAsync(broken, default));
        Assert.Equal(ErrorCodes.Conflict, e.Code);
        Assert.Equal(0, await CountAsync(t, "reg-mudan"));
    }

    [Fact]
    public async Task Only_an_admin_imports()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        var officer = new Domain.Policy.Caller(CallerRole.DepartmentOfficer, "李科长", DepartmentId: "dept-mudan-spj");
        var e = await Assert.ThrowsAsync<DomainException>(() =>
            new CatalogueImporter(t.Store).ImportAsync(officer, new StringReader(Seed("heze-mudan.csv")), "heze-mudan.csv", default));
        Assert.Equal(ErrorCodes.Forbidden, e.Code);
    }

    [Fact]
    public async Task Stored_matters_round_trip_every_field()
    {
        await using var t = await TestStore.CreateAsync(engine, seed: false);
        await new CatalogueImporter(t.Store).ImportSeedAsync(default);
        foreach (var expected in SeedCatalogues.ParseAll().SelectMany(b => b.Matters))
        {
            var stored = await t.Store.Matters.GetAsync(expected.Id, default);
            Assert.NotNull(stored);
            Assert.Equal(expected with { CatalogueSteps = [] }, stored with { CatalogueSteps = [] });
            Assert.Equal(expected.CatalogueSteps, stored.CatalogueSteps);
        }
    }
}

public sealed class SqliteCatalogueImportTests() : CatalogueImportTestsContract(new SqliteEngine());

public sealed class PostgresCatalogueImportTests(PostgresEngine engine) : CatalogueImportTestsContract(engine), IClassFixture<PostgresEngine>;
