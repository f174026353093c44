namespace E2eChat.Relay.Server.Storage;

/// <summary>A published ML-KEM-768 pre-key (PROTOCOL.md 3.3), already verified.</summary>
/// <param name="Id">The nonzero id.</param>
/// <param name="PublicKey">The 1184-byte encapsulation key.</param>
/// <param name="Signature">The 64-byte signature (over its kind too).</param>
internal sealed record KemPreKeyRecord(uint Id, byte[] PublicKey, byte[] Signature);
