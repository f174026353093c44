namespace E2eChat.Relay.Server.Storage;

/// <summary>A message waiting in a device's queue.</summary>
/// <param name="Sequence">Its position in the device's queue (increasing, with gaps).</param>
/// <param name="Envelope">The envelope's bytes.</param>
internal sealed record QueuedDelivery(long Sequence, byte[] Envelope);
