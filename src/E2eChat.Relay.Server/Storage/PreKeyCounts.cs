namespace E2eChat.Relay.Server.Storage;

/// <summary>How many one-time pre-keys a device has left, of each kind.</summary>
/// <param name="OneTime">One-time X25519 pre-keys.</param>
/// <param name="OneTimeKem">One-time ML-KEM-768 pre-keys.</param>
internal readonly record struct PreKeyCounts(int OneTime, int OneTimeKem);
