using Google.Rpc;
using Grpc.Core;
using SealService.Api.Grpc;

namespace SealService.Api.Tests.Grpc;

public static class GrpcAssert
{
    /// <summary>
    /// Runs the call, expects it to fail with <paramref name="status"/>, and checks the stable code is in all three
    /// places: the sealservice-code trailer, ErrorInfo.reason in the status details, and the detail text.
    /// </summary>
    public static async Task<(RpcException Error, ErrorInfo Info)> Fails(StatusCode status, string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(status == error.StatusCode, $"expected {status}, got {error.StatusCode}: {error.Status.Detail}");
        Assert.Equal(code, error.Trailers.GetValue(GrpcErrors.CodeTrailer));
        Assert.StartsWith(code + ": ", error.Status.Detail, StringComparison.Ordinal);
        var rich = error.GetRpcStatus();
        Assert.NotNull(rich);
        Assert.Equal((int)status, rich.Code);
        var info = rich.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(code, info.Reason);
        Assert.Equal(GrpcErrors.ErrorDomain, info.Domain);
        return (error, info);
    }
}
