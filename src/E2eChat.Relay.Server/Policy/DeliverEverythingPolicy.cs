using E2eChat.Relay.Server.Storage;

namespace E2eChat.Relay.Server.Policy;

/// <summary>The default policy until the consent engine lands: every valid delivery is allowed.</summary>
internal sealed class DeliverEverythingPolicy : IDeliveryPolicy
{
    /// <inheritdoc />
    public ValueTask<PolicyDecision> EvaluateAsync(DeliveryRequest request, IConversationStore view, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Allow);
}
