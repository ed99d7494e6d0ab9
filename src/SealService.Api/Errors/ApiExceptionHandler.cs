using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SealService.Api.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails. Bad request bodies (malformed JSON, wrong types, too
/// large) reach here as BadHttpRequestException because route handlers throw on bad requests.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, ErrorCodes.PayloadTooLarge, "The request body is larger than the service accepts."),
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, ErrorCodes.InvalidJson, $"The request body is not valid JSON for this endpoint: {JsonMessage(json)}"),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad =>
                (415, ErrorCodes.UnsupportedMediaType, bad.Message),
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (bad.StatusCode, ErrorCodes.InvalidJson, bad.Message),
            BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.BadRequest, bad.Message),
            _ => (500, ErrorCodes.Internal, "An unexpected error occurred."),
        };
        if (status >= 500)
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);

        context.Response.StatusCode = status;
        ApiProblems.SetCode(context, code);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = status >= 500 ? exception : null,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    /// <summary>Where the JSON broke, without echoing the body back.</summary>
    private static string JsonMessage(JsonException json) =>
        json.Path is { Length: > 0 } path ? $"at {path} (line {json.LineNumber + 1})" : $"line {json.LineNumber + 1}";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
