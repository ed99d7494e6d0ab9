using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SealService.Api.Errors;
using SealService.Domain.Policy;
using DomainCodes = SealService.Domain.Errors.ErrorCodes;
using Status = Grpc.Core.Status;

namespace SealService.Api.Grpc;

/// <summary>
/// Turns a stable SealService code into a gRPC status. Every error carries the code three ways: the
/// <c>sealservice-code</c> trailer, google.rpc.ErrorInfo.reason in the status details
/// (<c>grpc-status-details-bin</c>), and the start of the status detail text ("CODE: message").
/// </summary>
public static class GrpcErrors
{
    /// <summary>Trailer (or trailers-only header) holding the stable code.</summary>
    public const string CodeTrailer = "sealservice-code";

    /// <summary>ErrorInfo.domain of every SealService error.</summary>
    public const string ErrorDomain = "sealservice.v1";

    /// <summary>The gRPC status for a code when nothing more specific (an error kind) is known.</summary>
    public static StatusCode StatusFor(string code) => code switch
    {
        DomainCodes.ValidationFailed or ErrorCodes.BadRequest or "PDF_INVALID" or "IDEMPOTENCY_KEY_INVALID" => StatusCode.InvalidArgument,
        DomainCodes.NotFound or "TEMPLATE_NOT_FOUND" => StatusCode.NotFound,
        DomainCodes.Forbidden => StatusCode.PermissionDenied,
        "IDEMPOTENCY_CONFLICT" => StatusCode.AlreadyExists,
        DomainCodes.Conflict => StatusCode.Aborted,
        DomainCodes.InvalidStateTransition => StatusCode.FailedPrecondition,
        "PDF_TOO_LARGE" or ErrorCodes.PayloadTooLarge => StatusCode.ResourceExhausted,
        ErrorCodes.Unauthenticated => StatusCode.Unauthenticated,
        _ when code.StartsWith("TOKEN_", StringComparison.Ordinal) => StatusCode.Unauthenticated,
        _ when RefusalCodes.All.Contains(code) => StatusCode.PermissionDenied,
        _ when code.StartsWith("TEMPLATE_FIELD_", StringComparison.Ordinal) || code.StartsWith("RENDER_", StringComparison.Ordinal) => StatusCode.InvalidArgument,
        ErrorCodes.Internal => StatusCode.Internal,
        _ => StatusCode.InvalidArgument,
    };

    /// <summary>The rich status (ErrorInfo, and BadRequest when fields are named) for a code.</summary>
    public static Google.Rpc.Status RichStatus(
        StatusCode status, string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null, IReadOnlyDictionary<string, string>? info = null)
    {
        var errorInfo = new ErrorInfo { Reason = code, Domain = ErrorDomain };
        if (info is not null)
            foreach (var (key, value) in info)
                errorInfo.Metadata[key] = value;
        var rich = new Google.Rpc.Status { Code = (int)status, Message = Detail(code, message), Details = { Any.Pack(errorInfo) } };
        if (fieldErrors is { Count: > 0 })
        {
            var bad = new BadRequest();
            foreach (var (field, messages) in fieldErrors)
                foreach (var text in messages)
                    bad.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = text });
            rich.Details.Add(Any.Pack(bad));
        }
        return rich;
    }

    /// <summary>An RpcException carrying the code in the trailer, the status details and the detail text.</summary>
    public static RpcException Exception(
        StatusCode status, string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null, IReadOnlyDictionary<string, string>? info = null)
    {
        var rich = RichStatus(status, code, message, fieldErrors, info);
        var trailers = new Metadata { { CodeTrailer, code } };
        trailers.SetRpcStatus(rich);
        return new RpcException(new Status(status, rich.Message), trailers);
    }

    public static RpcException Exception(string code, string message) => Exception(StatusFor(code), code, message);

    /// <summary>
    /// Field names as the proto spells them: the application services name fields as the REST JSON does
    /// (sealId, placement.page, Idempotency-Key); gRPC callers see seal_id, placement.page, idempotency_key.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ProtoFieldNames(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count == 0)
            return errors;
        var mapped = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in errors)
        {
            var name = SnakeCase(field);
            mapped[name] = mapped.TryGetValue(name, out var existing) ? [.. existing, .. messages] : messages;
        }
        return mapped;
    }

    private static string SnakeCase(string field)
    {
        var builder = new System.Text.StringBuilder(field.Length + 8);
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '-')
                builder.Append('_');
            else if (char.IsUpper(c))
            {
                if (i > 0 && field[i - 1] is not ('.' or '-' or '_'))
                    builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>"CODE: message" — the code stays readable for clients that only print the status detail.</summary>
    public static string Detail(string code, string message) => $"{code}: {message}";
}
