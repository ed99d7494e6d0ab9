using Grpc.Core;
using Grpc.Core.Interceptors;
using SealService.Api.Errors;
using SealService.Domain.Errors;
using SealService.Domain.Stamping;
using SealService.Ledger;
using ApiCodes = SealService.Api.Errors.ErrorCodes;

namespace SealService.Api.Grpc;

/// <summary>
/// Maps what the application services throw to gRPC statuses through the error catalogue (see <see cref="GrpcErrors"/>),
/// as the REST exception handler maps them to ProblemDetails. Unexpected exceptions are logged and answered
/// INTERNAL without details.
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The RpcException to answer with, or null to let the exception through unchanged.</summary>
    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null; // the client went away or the deadline passed; gRPC reports it as such
            case DomainException domain:
                LogIfBug(domain, domain.Code, context);
                return GrpcErrors.Exception(domain.Code, ApiExceptionHandler.Shown(domain.Code, domain.Message), GrpcErrors.ProtoFieldNames(domain.Errors), InfoOf(domain));
            case LedgerException ledger:
                LogIfBug(ledger, ledger.Code, context);
                return GrpcErrors.Exception(ledger.Code, ApiExceptionHandler.Shown(ledger.Code, ledger.Message));
            default:
                LogUnhandled(logger, exception, context.Method);
                return GrpcErrors.Exception(StatusCode.Internal, ApiCodes.Internal, "An unexpected error occurred.");
        }
    }

    private void LogIfBug(Exception exception, string code, ServerCallContext context)
    {
        if (ErrorCatalog.Find(code).Kind is ErrorKind.Internal or ErrorKind.Unavailable)
            LogUnhandled(logger, exception, context.Method);
    }

    /// <summary>A refusal names the seal-use record that logged the attempt (ErrorInfo metadata).</summary>
    private static Dictionary<string, string>? InfoOf(DomainException domain) =>
        domain is StampingException { SealUseId: { } sealUseId } ? new Dictionary<string, string> { ["seal_use_id"] = sealUseId } : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in gRPC method {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
