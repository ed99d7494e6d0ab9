using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using SealService.Api.Auth;
using SealService.Api.Endpoints;
using SealService.Api.Errors;
using SealService.Api.Grpc;
using SealService.Api.Hosting;
using SealService.Api.Hosting.Health;
using SealService.Api.Hosting.Metrics;
using SealService.Api.Ledger;
using SealService.Api.Pki;
using SealService.Api.Verification;

// Settings files and the web root live next to the executable, so a published host started from any folder finds
// them; --contentRoot or ASPNETCORE_CONTENTROOT still choose another folder.
var contentRootGiven = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
    || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 };
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = contentRootGiven ? null : AppContext.BaseDirectory,
});
// The default address sits below every other source, so ASPNETCORE_URLS, --urls and Urls in a settings file all win.
builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
{
    InitialData = [new(WebHostDefaults.ServerUrlsKey, SealListeners.DefaultRestUrl)],
});

builder.Services.Configure<SealServiceOptions>(builder.Configuration.GetSection(SealServiceOptions.Section));
builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<SealServiceOptions>>(
    (kestrel, service) => RequestLimits.ConfigureKestrel(kestrel, service.Value));
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.MaxDepth = 16;
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
});
builder.Services.AddSealProblems();
builder.Services.AddSealAuth(builder.Configuration);
builder.Services.AddSealOpenApi();
builder.Services.AddSealRegistry(builder.Configuration);
builder.Services.AddSealStamping(builder.Configuration, builder.Environment);
builder.Services.AddSealGrpc();
builder.Services.AddSealLedger();
builder.Services.AddSealVerification(builder.Configuration, builder.Environment);
builder.Services.AddSealHealth(builder.Configuration);
builder.Services.AddSealMetrics();
builder.Services.AddSealDevPki(builder.Environment);

var app = builder.Build();
await app.InitializeRegistryAsync();
await app.InitializeStampingAsync();

app.UseSealRequestLimits(app.Services.GetRequiredService<IOptions<SealServiceOptions>>().Value);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapHealthEndpoints();
app.MapSealHealth();
app.MapSealMetrics();

var api = app.MapGroup("/api/v1").RequireAuthorization();
api.MapCallerEndpoints();
api.MapOrganisationEndpoints();
api.MapTownshipListEndpoints();
api.MapAgreementEndpoints();
api.MapSealEndpoints();
api.MapStampCheckEndpoints();
api.MapCatalogEndpoints();
api.MapStampingEndpoints();
api.MapSealUseEndpoints();
api.MapSupervisionEndpoints();
api.MapLedgerEndpoints();
api.MapAuditPackageEndpoints();
app.MapVerificationEndpoints();
app.MapPublicEndpoints();
app.MapLedgerCheckpoints();
app.MapSealDevPki(app.Environment);
app.MapSealGrpc();

await app.RunAsync();

public partial class Program;
