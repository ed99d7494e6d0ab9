using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SealService.Api.Hosting;

/// <summary>What the generator cannot see of handlers that read their own body or headers: headers, multipart parts.</summary>
public static class OpenApiBodies
{
    /// <summary>A required request header.</summary>
    public static TBuilder WithRequiredHeader<TBuilder>(this TBuilder builder, string name, string description, int maxLength)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = true,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = maxLength, Pattern = "^[\\x21-\\x7E]+$" },
            });
            return Task.CompletedTask;
        });

    /// <summary>A query parameter the handler reads itself (an integer unless <paramref name="type"/> says otherwise).</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, string name, string description, bool required = false, JsonSchemaType type = JsonSchemaType.Integer)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = required,
                Description = description,
                Schema = new OpenApiSchema { Type = type },
            });
            return Task.CompletedTask;
        });

    /// <summary>
    /// multipart/form-data with a JSON part (schema of <typeparamref name="TJson"/>, when <paramref name="jsonPart"/> is set)
    /// followed by a binary PDF part; other parts as optional strings. Replaces what the generator wrote for multipart.
    /// </summary>
    public static TBuilder WithMultipart<TBuilder, TJson>(this TBuilder builder, string? jsonPart, string filePart, string description, params string[] optionalTextParts)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var properties = new Dictionary<string, IOpenApiSchema>();
            var required = new HashSet<string> { filePart };
            var encoding = new Dictionary<string, OpenApiEncoding> { [filePart] = new() { ContentType = "application/pdf" } };
            if (jsonPart is not null)
            {
                properties[jsonPart] = await context.GetOrCreateSchemaAsync(typeof(TJson), null, ct);
                required.Add(jsonPart);
                encoding[jsonPart] = new() { ContentType = "application/json" };
            }

            properties[filePart] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "the PDF (a part after the others)" };
            foreach (var part in optionalTextParts)
                properties[part] = new OpenApiSchema { Type = JsonSchemaType.String };
            var body = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody { Required = true };
            body.Content ??= new Dictionary<string, OpenApiMediaType>();
            operation.RequestBody = body;
            body.Content["multipart/form-data"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Required = required, Properties = properties, Description = description },
                Encoding = encoding,
            };
        });
}
