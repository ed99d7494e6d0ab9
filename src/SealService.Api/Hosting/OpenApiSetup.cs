using Microsoft.OpenApi;

namespace SealService.Api.Hosting;

public static class OpenApiSetup
{
    /// <summary>OpenAPI document at /openapi/v1.json describing the bearer scheme.</summary>
    public static IServiceCollection AddSealOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SealService API";
            document.Info.Description = "Registry of delegated approval seals (县乡通办 / 一枚印章管审批) and stamp-check dry runs.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "JWT with claims name, role, dept, township",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        }));
}
