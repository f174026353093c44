namespace E2eChat.Relay.Server.Storage;

/// <summary>Part of a device's queue, and how many messages were trimmed and not yet acknowledged as noticed.</summary>
/// <param name="Deliveries">Unexpired deliveries in sequence order.</param>
/// <param name="Trimmed">Messages dropped from the full queue since the device last acknowledged a notice.</param>
internal sealed record QueuePage(IReadOnlyList<QueuedDelivery> Deliveries, long Trimmed);
