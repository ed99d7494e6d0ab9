using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SealService.Api.Errors;
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

    /// <summary>The status comes from the catalogue: a code has one status everywhere.</summary>
    public static RpcException Exception(
        string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null, IReadOnlyDictionary<string, string>? info = null) =>
        Exception(ErrorCatalog.GrpcStatus(code), code, message, fieldErrors, info);

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

    /// <summary>Template field names are map keys the client chose: they stay as sent (<c>fields.applicantName</c>).</summary>
    private const string MapKeyPrefix = "fields.";

    private static string SnakeCase(string field)
    {
        if (field.StartsWith(MapKeyPrefix, StringComparison.Ordinal))
            return field;
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

    /// <summary>
    /// A gRPC error written before any gRPC handler runs (authorization, request limits): HTTP 200, trailers-only
    /// response, status and code in the headers, no body.
    /// </summary>
    public static void WriteTrailersOnly(Microsoft.AspNetCore.Http.HttpResponse response, string code, string message)
    {
        var status = ErrorCatalog.GrpcStatus(code);
        var rich = RichStatus(status, code, message);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = GrpcAuthorizationResultHandler.PercentEncode(rich.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(rich));
        response.Headers[CodeTrailer] = code;
    }

    /// <summary>"CODE: message" — the code stays readable for clients that only print the status detail.</summary>
    public static string Detail(string code, string message) => $"{code}: {message}";
}
