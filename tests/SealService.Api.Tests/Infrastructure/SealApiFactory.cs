using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// The real host on Kestrel (loopback, random port) with its own SQLite data folder in a temp
/// directory. One per test class (xunit class fixture).
/// </summary>
public sealed class SealApiFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("sealservice-api-").FullName;

    public SealApiFactory()
    {
        UseKestrel(0);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("SealService:DataDirectory", DataDirectory);
        builder.UseSetting("SealService:MaxRequestBodyBytes", (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:UseDevKey", "true");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}
