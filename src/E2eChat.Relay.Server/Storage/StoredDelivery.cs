namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// A queue entry a store made and committed: enough for a receive stream on this node to send it
/// straight from memory instead of reading it back (the entry stays in the store until acknowledged).
/// </summary>
/// <param name="Device">The recipient device.</param>
/// <param name="Delivery">Its sequence number in the device's queue and the envelope.</param>
/// <param name="ExpiresAtMilliseconds">When the relay deletes it (Unix milliseconds); an expired one is not sent.</param>
internal readonly record struct StoredDelivery(DeviceAddress Device, QueuedDelivery Delivery, long ExpiresAtMilliseconds);
