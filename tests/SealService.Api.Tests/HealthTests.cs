using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using SealService.Api.Tests.Grpc;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>
/// Liveness and readiness through the real host (REST and gRPC health): ready while the database takes writes, the
/// ledger writes and keys can be read; not ready — 503 and NOT_SERVING — while another process holds the database's
/// write lock, and ready again once it lets go.
/// </summary>
public sealed class HealthTests(GrpcHostFactory host) : IClassFixture<GrpcHostFactory>
{
    [Fact]
    public async Task Ready_reports_each_check_and_turns_unready_while_the_database_takes_no_write()
    {
        var client = host.CreateClient();
        var health = new Health.HealthClient(host.Channel);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        var ready = await Ready(client, HttpStatusCode.OK);
        Assert.Equal("healthy", ready.Str("status"));
        Assert.Equal(["certificates", "database", "keys", "ledger", "tsa"], ready.GetProperty("checks").EnumerateArray().Select(c => c.Str("name")).Order());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        await using (var locker = new SqliteConnection($"Data Source={SealService.Storage.Relational.DataDirectory.RegistryPath(host.DataDirectory)};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var blocked = await Ready(client, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", blocked.Str("status"));
            var database = blocked.GetProperty("checks").EnumerateArray().Single(c => c.Str("name") == "database");
            Assert.Equal("unhealthy", database.Str("status"));
            Assert.Contains("takes no write", database.Str("description"));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
            // Liveness does not depend on the database.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.Equal("healthy", (await Ready(client, HttpStatusCode.OK)).Str("status"));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "sealservice.v1.Stamping" })).Status);
        var unknown = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));
        Assert.Equal(global::Grpc.Core.StatusCode.NotFound, unknown.StatusCode);
    }

    internal static JsonElement Check(JsonElement ready, string name) =>
        ready.GetProperty("checks").EnumerateArray().Single(c => c.Str("name") == name);

    internal static async Task<JsonElement> Ready(HttpClient client, HttpStatusCode expected)
    {
        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
