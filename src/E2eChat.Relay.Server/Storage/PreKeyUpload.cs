namespace E2eChat.Relay.Server.Storage;

/// <summary>What one <c>PublishPreKeys</c> call stores, every key already verified.</summary>
/// <param name="SignedPreKey">Replaces the current signed pre-key when not null.</param>
/// <param name="LastResortKemPreKey">Replaces the current last-resort KEM pre-key when not null.</param>
/// <param name="OneTimePreKeys">Added (an id already held is replaced).</param>
/// <param name="OneTimeKemPreKeys">Added (an id already held is replaced).</param>
internal sealed record PreKeyUpload(
    SignedPreKeyRecord? SignedPreKey,
    KemPreKeyRecord? LastResortKemPreKey,
    IReadOnlyList<OneTimePreKeyRecord> OneTimePreKeys,
    IReadOnlyList<KemPreKeyRecord> OneTimeKemPreKeys);
