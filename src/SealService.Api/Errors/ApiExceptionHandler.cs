using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Domain.Stamping;
using SealService.Ledger;

namespace SealService.Api.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails. Registry rule violations arrive as DomainException (their code
/// becomes the response code); bad request bodies (malformed JSON, wrong types, too large) arrive as
/// BadHttpRequestException because route handlers are set to throw on bad requests.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        var problem = exception switch
        {
            DomainException domain => FromDomain(domain),
            BadHttpRequestException bad => FromBadRequest(bad),
            LedgerException ledger => FromLedger(ledger),
            _ => new ProblemDetails { Status = 500, Detail = "An unexpected error occurred.", Extensions = { ["code"] = ErrorCodes.Internal } },
        };
        if (problem.Status >= 500)
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>Status from the catalogue by code alone; field errors, the refused attempt and the template field ride along.</summary>
    private static ProblemDetails FromDomain(DomainException domain)
    {
        ProblemDetails problem = domain.Errors.Count > 0
            ? new HttpValidationProblemDetails(domain.Errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = ErrorCatalog.HttpStatus(domain.Code);
        problem.Detail = Shown(domain.Code, domain.Message);
        problem.Extensions["code"] = domain.Code;
        switch (domain)
        {
            case CatalogueException catalogue:
                problem.Extensions["file"] = catalogue.File;
                problem.Extensions["line"] = catalogue.Line;
                break;
            case StampingException stamping:
                if (stamping.SealUseId is not null)
                    problem.Extensions["sealUseId"] = stamping.SealUseId;
                if (stamping.Field is not null)
                    problem.Extensions["field"] = stamping.Field;
                break;
        }

        return problem;
    }

    public static ProblemDetails FromLedger(LedgerException e)
    {
        return new ProblemDetails { Status = ErrorCatalog.HttpStatus(e.Code), Detail = Shown(e.Code, e.Message), Extensions = { ["code"] = e.Code } };
    }

    /// <summary>A bug's message stays in the log; every other message is the answer.</summary>
    public static string Shown(string code, string message) =>
        ErrorCatalog.Find(code).Kind == ErrorKind.Internal ? "An unexpected error occurred." : message;

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        var (status, code, detail) = bad switch
        {
            { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, ErrorCodes.PayloadTooLarge, "The request body is larger than the service accepts."),
            { InnerException: JsonException json } =>
                (400, ErrorCodes.InvalidJson, $"The request body is not valid JSON for this endpoint ({JsonWhere(json)})."),
            { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (415, ErrorCodes.UnsupportedMediaType, bad.Message),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (bad.StatusCode, ErrorCodes.InvalidJson, "A JSON request body is required."),
            _ => (bad.StatusCode, ErrorCodes.BadRequest, bad.Message),
        };
        return new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
    }

    /// <summary>Where the JSON broke, without echoing the body back.</summary>
    private static string JsonWhere(JsonException json) =>
        json.Path is { Length: > 1 } path ? $"at {path}, line {json.LineNumber + 1}" : $"line {json.LineNumber + 1}";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
