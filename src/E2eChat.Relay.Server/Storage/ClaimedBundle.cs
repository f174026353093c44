namespace E2eChat.Relay.Server.Storage;

/// <summary>The keys handed out for one device in one fetch; the one-time keys in it are deleted.</summary>
/// <param name="Device">The device and its identity.</param>
/// <param name="SignedPreKey">The current signed pre-key.</param>
/// <param name="OneTimePreKey">A claimed one-time X25519 pre-key, or null when none was left.</param>
/// <param name="KemPreKey">A claimed one-time KEM pre-key, or the last-resort one.</param>
/// <param name="KemIsLastResort">Whether <paramref name="KemPreKey"/> is the last-resort key.</param>
internal sealed record ClaimedBundle(
    DeviceRegistration Device,
    SignedPreKeyRecord SignedPreKey,
    OneTimePreKeyRecord? OneTimePreKey,
    KemPreKeyRecord KemPreKey,
    bool KemIsLastResort);
