using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Billing;

/// <summary>The <c>Billing</c> service's methods, bound by <see cref="StrictServiceBinder"/> (strict request parsing).</summary>
[BindServiceMethod(typeof(StrictServiceBinder), nameof(StrictServiceBinder.BindBilling))]
internal abstract class BillingServiceBase
{
    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context);
}
