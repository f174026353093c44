
namespace E2eChat.Relay.Server.Messaging;

/// <summary>What the relay reads from a valid envelope: routing, dedup, expiry and size; nothing else.</summary>
/// <param name="Sender">The sending device.</param>
/// <param name="SenderKind">The sender's account kind as the envelope states it.</param>
/// <param name="Recipient">The recipient device.</param>
/// <param name="RecipientKind">The recipient's account kind as the envelope states it.</param>
/// <param name="Kind">The envelope type.</param>
/// <param name="MessageId">The 16-byte message id.</param>
/// <param name="TimestampMilliseconds">The sender's clock.</param>
/// <param name="ExpiresAtMilliseconds">A sender-key post's signed expiry, 0 for none.</param>
/// <param name="CiphertextLength">The ciphertext's padded length.</param>
/// <param name="Category">The envelope's category (field 10): only on a business's pre-key or ratchet envelope to a person.</param>
internal sealed record RoutingFacts(
    DeviceAddress Sender,
    PartyKind SenderKind,
    DeviceAddress Recipient,
    PartyKind RecipientKind,
    EnvelopeType Kind,
    byte[] MessageId,
    ulong TimestampMilliseconds,
    ulong ExpiresAtMilliseconds,
    int CiphertextLength,
    Category Category);
