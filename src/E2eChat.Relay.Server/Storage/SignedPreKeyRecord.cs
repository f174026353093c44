namespace E2eChat.Relay.Server.Storage;

/// <summary>A published signed pre-key (PROTOCOL.md 3.2), already verified.</summary>
/// <param name="Id">The nonzero id.</param>
/// <param name="PublicKey">The 32-byte X25519 key.</param>
/// <param name="Signature">The 64-byte signature.</param>
internal sealed record SignedPreKeyRecord(uint Id, byte[] PublicKey, byte[] Signature);
