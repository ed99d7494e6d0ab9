using Microsoft.AspNetCore.Http.HttpResults;

namespace SealService.Api.Errors;

/// <summary>Builds ProblemDetails results that always carry a <c>code</c>.</summary>
public static class ApiProblems
{
    private const string CodeItem = "sealservice.problem.code";

    /// <summary>Records the code for a response whose body is written later (status-code pages).</summary>
    public static void SetCode(HttpContext context, string code) => context.Items[CodeItem] = code;

    public static string? GetCode(HttpContext context) => context.Items[CodeItem] as string;

    public static ProblemHttpResult Problem(int status, string code, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null)
            foreach (var (key, value) in extra)
                extensions[key] = value;
        return TypedResults.Problem(detail: detail, statusCode: status, extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string what, string id) =>
        Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"{what} '{id}' does not exist");

    public static ProblemHttpResult Forbidden(string code, string detail) =>
        Problem(StatusCodes.Status403Forbidden, code, detail);

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Problem(StatusCodes.Status409Conflict, code, detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more fields are invalid.",
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });
}
