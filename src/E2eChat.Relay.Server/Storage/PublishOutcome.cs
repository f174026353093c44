namespace E2eChat.Relay.Server.Storage;

/// <summary>What <see cref="IPreKeyStore.PublishPreKeysAsync"/> did.</summary>
/// <param name="Stored">Whether the upload was stored (false: it would exceed the bound, nothing changed).</param>
/// <param name="Counts">The device's one-time key counts afterwards.</param>
internal readonly record struct PublishOutcome(bool Stored, PreKeyCounts Counts);
