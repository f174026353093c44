
namespace E2eChat.Relay.Server.Policy;

/// <summary>
/// The policy hook consulted for every delivery in <c>Send</c> and <c>Post</c>, after validation and
/// before rate limiting and storage. The default delivers everything; the keyless policy engine of
/// the consent issue (consent, blocks, the 24-hour window, categories) plugs in here, reading what it
/// needs through the store view it is given. A refusal stores nothing and reaches the sender as
/// <c>ENVELOPE_STATUS_REFUSED</c> with the reason.
/// </summary>
internal interface IDeliveryPolicy
{
    /// <summary>Decides one delivery.</summary>
    /// <param name="request">The envelope's routing facts and the recipient.</param>
    /// <param name="view">What the store knows about the conversation.</param>
    /// <param name="now">The relay's clock.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Deliver or refuse.</returns>
    ValueTask<PolicyDecision> EvaluateAsync(DeliveryRequest request, IConversationStore view, DateTimeOffset now, CancellationToken cancellationToken);
}
