using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SealService.Domain.Catalogue;
using SealService.Domain.Errors;
using SealService.Domain.Stamping;
using DomainCodes = SealService.Domain.Errors.ErrorCodes;

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
            StampingException stamping => FromStamping(stamping),
            DomainException domain => FromDomain(domain),
            BadHttpRequestException bad => FromBadRequest(bad),
            SealService.Ledger.LedgerException ledger => Api.Ledger.LedgerEndpoints.Problem(ledger),
            _ => new ProblemDetails { Status = 500, Detail = "An unexpected error occurred.", Extensions = { ["code"] = ErrorCodes.Internal } },
        };
        if (problem.Status >= 500)
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static ProblemDetails FromDomain(DomainException domain)
    {
        var status = domain.Code switch
        {
            DomainCodes.ValidationFailed => StatusCodes.Status400BadRequest,
            DomainCodes.NotFound => StatusCodes.Status404NotFound,
            DomainCodes.Conflict or DomainCodes.InvalidStateTransition => StatusCodes.Status409Conflict,
            DomainCodes.Forbidden => StatusCodes.Status403Forbidden,
            DomainCodes.CatalogueRowInvalid or DomainCodes.CatalogueUnknownFormat => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status400BadRequest,
        };
        ProblemDetails problem = domain.Code == DomainCodes.ValidationFailed
            ? new HttpValidationProblemDetails(domain.Errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = domain.Message;
        problem.Extensions["code"] = domain.Code;
        if (domain is CatalogueException catalogue)
        {
            problem.Extensions["file"] = catalogue.File;
            problem.Extensions["line"] = catalogue.Line;
        }
        return problem;
    }

    private static ProblemDetails FromStamping(StampingException e)
    {
        var status = e.Kind switch
        {
            StampingErrorKind.Refused or StampingErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            StampingErrorKind.NotFound => StatusCodes.Status404NotFound,
            StampingErrorKind.Conflict => StatusCodes.Status409Conflict,
            StampingErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            StampingErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            StampingErrorKind.BadRequest => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        ProblemDetails problem = e.Errors.Count > 0
            ? new HttpValidationProblemDetails(e.Errors.ToDictionary(x => x.Key, x => x.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = e.Message;
        problem.Extensions["code"] = e.Code;
        if (e.SealUseId is not null)
            problem.Extensions["sealUseId"] = e.SealUseId;
        if (e.Field is not null)
            problem.Extensions["field"] = e.Field;
        return problem;
    }

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
