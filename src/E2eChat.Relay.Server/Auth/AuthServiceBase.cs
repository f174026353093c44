using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Auth;

/// <summary>The <c>Auth</c> service's methods, bound by <see cref="StrictServiceBinder"/> (strict request parsing).</summary>
[BindServiceMethod(typeof(StrictServiceBinder), nameof(StrictServiceBinder.BindAuth))]
internal abstract class AuthServiceBase
{
    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<GetChallengeResponse> GetChallenge(GetChallengeRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context);
}
