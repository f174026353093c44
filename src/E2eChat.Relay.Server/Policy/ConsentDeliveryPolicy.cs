using E2eChat.Relay.Server.Billing;

namespace E2eChat.Relay.Server.Policy;

/// <summary>
/// The relay's delivery policy (PROTOCOL.md 17.4): a business's message to a person is decided by the
/// keyless consent engine (<see cref="ConsentPolicy.Decide"/>) over the pair's stored state (the
/// customer's records and service window), at the relay's clock; every other delivery is allowed.
/// </summary>
internal sealed class ConsentDeliveryPolicy : IDeliveryPolicy
{
    /// <inheritdoc />
    public async ValueTask<PolicyDecision> EvaluateAsync(DeliveryRequest request, IConversationStore view, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(view);
        Category category = MeteringRules.CategoryOf(request.Envelope, request.RecipientKind);
        if (category == Category.Unspecified)
        {
            return PolicyDecision.Allow;
        }

        StoredConsent? stored = await view.GetConsentAsync(request.Recipient.Name, request.Envelope.Sender.Name, cancellationToken).ConfigureAwait(false);
        ConsentDecision decision = ConsentPolicy.Decide(stored?.State ?? default, category, (ulong)now.ToUnixTimeMilliseconds());
        return decision == ConsentDecision.Deliver ? PolicyDecision.Allow : PolicyDecision.Refuse(decision.ToString());
    }
}
