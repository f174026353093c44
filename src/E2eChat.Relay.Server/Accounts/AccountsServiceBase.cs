using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Accounts;

/// <summary>The <c>Accounts</c> service's methods, bound by <see cref="StrictServiceBinder"/> (strict request parsing).</summary>
[BindServiceMethod(typeof(StrictServiceBinder), nameof(StrictServiceBinder.BindAccounts))]
internal abstract class AccountsServiceBase
{
    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<PublishDeviceListResponse> PublishDeviceList(PublishDeviceListRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<GetDeviceListResponse> GetDeviceList(GetDeviceListRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<SubmitConsentResponse> SubmitConsent(SubmitConsentRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<ResolveContactLinkResponse> ResolveContactLink(ResolveContactLinkRequest request, ServerCallContext context);
}
