using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SealService.Api.Errors;

namespace SealService.Api.Hosting;

/// <summary>
/// /openapi/v1.json as a client generator needs it: security per endpoint (none on public ones), every error status
/// with the codes it carries as ProblemDetails, optional fields not marked required (see <see cref="OpenApiSchemas"/>).
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";
    public const string ProblemSchema = "Problem";

    public static IServiceCollection AddSealOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer(OpenApiSchemas.RequiredAsDeclared);
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "SealService API";
                document.Info.Description = "Registry of delegated approval seals (县乡通办 / 一枚印章管审批), stamping, verification and the seal-use ledger. "
                    + "Every error is application/problem+json with a stable `code` (docs/api.md, \"Errors\").";
                EnsureComponents(document);
                return Task.CompletedTask;
            });
        });

    private static void EnsureComponents(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "JWT with claims name, role, dept, township",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ErrorCatalog.Entries.Select(e => (System.Text.Json.Nodes.JsonNode)e.Code)] },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "field → messages (VALIDATION_FAILED)",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["sealUseId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "a refusal: the recorded attempt" },
                ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "a template-field error: the field" },
            },
        });
    }

    /// <summary>Security and error responses from the endpoint's metadata and shape.</summary>
    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        EnsureComponents(context.Document!);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var codes = new List<string>(metadata.OfType<ErrorCodesMetadata>().SelectMany(m => m.Codes));
        if (secured)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            codes.AddRange(ErrorCatalog.Entries.Where(e => e.Kind == ErrorKind.Unauthenticated).Select(e => e.Code));
            codes.Add(Domain.Errors.ErrorCodes.Forbidden);
        }

        if (context.Description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query || (p.Source == BindingSource.Path && p.Type != typeof(string)))
            || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
            codes.Add(ErrorCodes.BadRequest);
        if (context.Description.RelativePath?.Contains('{') == true)
            codes.Add(Domain.Errors.ErrorCodes.NotFound);
        if (operation.RequestBody is { } body)
        {
            codes.AddRange([Domain.Errors.ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType]);
            if (body.Content?.ContainsKey("application/json") == true)
                codes.Add(ErrorCodes.InvalidJson);
        }

        codes.AddRange([ErrorCodes.UriTooLong, ErrorCodes.HeadersTooLarge, ErrorCodes.Internal]);
        operation.Responses ??= [];
        foreach (var status in codes.Distinct().Select(ErrorCatalog.Find).GroupBy(e => e.HttpStatus).OrderBy(g => g.Key))
        {
            operation.Responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = string.Join("; ", status.Select(e => $"`{e.Code}`: {e.When}")),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                },
            };
        }
    }
}
