using Microsoft.AspNetCore.Http.HttpResults;

namespace SealService.Api.Errors;

/// <summary>Builds ProblemDetails results that always carry a <c>code</c>.</summary>
public static class ApiProblems
{
    private const string CodeItem = "sealservice.problem.code";

    /// <summary>Records the code for a response whose body is written later (status-code pages).</summary>
    public static void SetCode(HttpContext context, string code) => context.Items[CodeItem] = code;

    public static string? GetCode(HttpContext context) => context.Items[CodeItem] as string;

    /// <summary>The status comes from the catalogue: a code has one status everywhere.</summary>
    public static ProblemHttpResult Problem(string code, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null)
            foreach (var (key, value) in extra)
                extensions[key] = value;
        return TypedResults.Problem(detail: detail, statusCode: ErrorCatalog.HttpStatus(code), extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string what, string id) =>
        Problem(ErrorCodes.NotFound, $"{what} '{id}' does not exist");

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more fields are invalid.",
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });
}
