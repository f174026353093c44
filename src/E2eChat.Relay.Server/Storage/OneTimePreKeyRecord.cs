namespace E2eChat.Relay.Server.Storage;

/// <summary>A published one-time X25519 pre-key, already checked.</summary>
/// <param name="Id">The nonzero id.</param>
/// <param name="PublicKey">The 32-byte X25519 key.</param>
internal sealed record OneTimePreKeyRecord(uint Id, byte[] PublicKey);
