using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using Grpc.Core;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The <c>Messaging</c> service's methods (<see cref="StrictServiceMethods"/> binds them on
/// <see cref="MessagingService"/>). The other services have no such base; this one goes when
/// <see cref="MessagingService"/> stops deriving from it.
/// </summary>
internal abstract class MessagingServiceBase
{
    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<SendResponse> Send(SendRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public abstract Task<PostResponse> Post(PostRequest request, ServerCallContext context);

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="requestStream">The device's requests.</param>
    /// <param name="responseStream">The deliveries.</param>
    /// <param name="context">The call.</param>
    /// <returns>A task that ends with the stream.</returns>
    public abstract Task Receive(IAsyncStreamReader<ReceiveRequest> requestStream, IServerStreamWriter<ReceiveResponse> responseStream, ServerCallContext context);
}
