using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

internal static class Assertions
{
    /// <summary>Asserts that <paramref name="call"/> fails with <paramref name="code"/> and the failure trailer <paramref name="failure"/>.</summary>
    public static async Task<RpcException> RefusedAsync(StatusCode code, string failure, Func<Task> call)
    {
        RpcException ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(failure, ex.Trailers.GetValue(RelayErrors.FailureTrailer));
        Assert.False(string.IsNullOrWhiteSpace(ex.Status.Detail));
        return ex;
    }
}
