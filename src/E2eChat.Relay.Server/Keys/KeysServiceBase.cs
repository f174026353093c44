using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Keys;

/// <summary>The <c>Keys</c> service's methods, bound by <see cref="StrictServiceBinder"/> (strict request parsing).</summary>
[BindServiceMethod(typeof(StrictServiceBinder), nameof(StrictServiceBinder.BindKeys))]
internal abstract class KeysServiceBase
{
    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<PublishPreKeysResponse> PublishPreKeys(PublishPreKeysRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<FetchBundlesResponse> FetchBundles(FetchBundlesRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<GetPreKeyCountResponse> GetPreKeyCount(GetPreKeyCountRequest request, ServerCallContext context);
}
