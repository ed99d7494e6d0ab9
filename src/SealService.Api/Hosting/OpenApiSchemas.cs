using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SealService.Api.Hosting;

/// <summary>
/// The generator marks every constructor parameter of a record required, optional ones too. Here a property is
/// required when its type cannot hold null, or when it carries [Required] (a nullable wire field the service checks).
/// </summary>
public static class OpenApiSchemas
{
    public static Task RequiredAsDeclared(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            var nullability = new NullabilityInfoContext(); // not thread-safe: one per schema
            var required = context.JsonTypeInfo.Properties.Where(p => IsRequired(p, nullability)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            schema.Required = required.Count > 0 ? required : null;
        }

        return Task.CompletedTask;
    }

    private static bool IsRequired(JsonPropertyInfo property, NullabilityInfoContext nullability)
    {
        if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            return true;
        if (property.PropertyType.IsValueType)
            return Nullable.GetUnderlyingType(property.PropertyType) is null;
        return property.AttributeProvider switch
        {
            PropertyInfo p => nullability.Create(p).ReadState == NullabilityState.NotNull,
            FieldInfo f => nullability.Create(f).ReadState == NullabilityState.NotNull,
            _ => false,
        };
    }
}
