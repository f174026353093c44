namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// One accepted envelope to store once and queue for each recipient device (one for a pairwise
/// message, the audience for a post).
/// </summary>
/// <param name="Sender">The sending device.</param>
/// <param name="MessageId">The 16-byte message id: the dedup key per recipient device.</param>
/// <param name="Envelope">The envelope's bytes, stored as received.</param>
/// <param name="ExpiresAtMilliseconds">When the relay deletes it, delivered or not (Unix milliseconds).</param>
/// <param name="Recipients">The devices to queue it for (distinct, registered).</param>
/// <param name="Charges">Ledger entries, each applied only if a device of its recipient account newly got the message.</param>
/// <param name="Touch">The service window to refresh when the message is newly stored, if any.</param>
internal sealed record MessageToStore(
    DeviceAddress Sender,
    byte[] MessageId,
    byte[] Envelope,
    long ExpiresAtMilliseconds,
    IReadOnlyList<DeviceAddress> Recipients,
    IReadOnlyList<BillingCharge> Charges,
    ConversationTouch? Touch);
