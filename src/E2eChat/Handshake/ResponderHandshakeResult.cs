
namespace E2eChat.Handshake;

/// <summary>
/// What the responder's side of a handshake hands to the session layer: the derived secrets, the
/// signed pre-key the initiator used (the responder's first ratchet key pair, <c>DHs</c> in section
/// 5.3), the base key (to recognise repeats of this handshake, responder step 1) and the store writes
/// to commit once the inner message has decrypted. Dispose to wipe the secrets and the signed
/// pre-key's private key (copy it into the ratchet state first).
/// </summary>
internal sealed class ResponderHandshakeResult : HandshakeResult
{
    private readonly byte[] _baseKey;

    internal ResponderHandshakeResult(HandshakeSecrets secrets, SignedPreKey signedPreKey, ReadOnlySpan<byte> baseKey, PreKeyConsumption consumption)
        : base(secrets)
    {
        SignedPreKey = signedPreKey;
        _baseKey = baseKey.ToArray();
        Consumption = consumption;
    }

    /// <summary>The signed pre-key used: the responder's first ratchet key pair. Owned by this result.</summary>
    internal SignedPreKey SignedPreKey { get; }

    /// <summary>The initiator's identity (verified and trusted).</summary>
    internal override IdentityKey RemoteIdentity => Consumption.InitiatorIdentity;

    /// <summary>The initiator's base key <c>EK</c> (32 bytes).</summary>
    internal ReadOnlySpan<byte> BaseKey => _baseKey;

    /// <summary>The store writes to commit after the inner ratchet message decrypts.</summary>
    internal PreKeyConsumption Consumption { get; }

    /// <summary>Wipes the secrets and the signed pre-key's private key.</summary>
    public override void Dispose()
    {
        base.Dispose();
        SignedPreKey.Dispose();
    }
}
