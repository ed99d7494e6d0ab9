namespace SealService.Api.Errors;

/// <summary>Codes an endpoint answers beyond the ones its shape implies (auth, body, route id); OpenAPI lists them.</summary>
public sealed record ErrorCodesMetadata(IReadOnlyList<string> Codes);

public static class ErrorCodesEndpointExtensions
{
    /// <summary>Declares the endpoint's own error codes (each must be in <see cref="ErrorCatalog"/>).</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params string[] codes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var code in codes)
            if (!ErrorCatalog.Contains(code))
                throw new ArgumentException($"{code} is not in the error catalogue", nameof(codes));
        return builder.WithMetadata(new ErrorCodesMetadata(codes));
    }

    /// <summary>Every code the given classes declare as constants (StampingErrorCodes, RefusalCodes, …).</summary>
    public static TBuilder ProducesErrorsOf<TBuilder>(this TBuilder builder, params Type[] codeClasses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesErrors([.. codeClasses.SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)]);
}
