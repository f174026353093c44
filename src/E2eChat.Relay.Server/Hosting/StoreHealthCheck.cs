using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace E2eChat.Relay.Server.Hosting;

/// <summary>Healthy while the store answers a trivial query (served through <c>grpc.health.v1</c>).</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    private readonly IRelayStore _store;

    /// <summary>Creates the check.</summary>
    public StoreHealthCheck(IRelayStore store)
    {
        _store = store;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException or IOException)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", ex);
        }
    }
}
