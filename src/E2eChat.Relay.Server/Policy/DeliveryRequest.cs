using E2eChat.Relay.Server.Messaging;

namespace E2eChat.Relay.Server.Policy;

/// <summary>One delivery the policy decides on: an envelope's routing facts and one recipient device.</summary>
/// <param name="Envelope">What the relay read from the envelope (sender, type, message id, expiry, sizes).</param>
/// <param name="Recipient">The recipient device (for a post, one audience member).</param>
/// <param name="RecipientKind">The recipient's registered account kind.</param>
/// <param name="IsPost">Whether this is a sender-key post to an audience (else a pairwise envelope).</param>
internal sealed record DeliveryRequest(RoutingFacts Envelope, DeviceAddress Recipient, PartyKind RecipientKind, bool IsPost);
