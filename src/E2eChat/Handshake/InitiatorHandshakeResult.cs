
namespace E2eChat.Handshake;

/// <summary>
/// What the initiator's side of a handshake hands to the session layer: the derived secrets, the
/// responder's signed pre-key (its first ratchet public key, <c>DHr</c> in section 5.3) and the
/// pending pre-key fields to send in every <c>PreKeyMessage</c>. The session layer records
/// <see cref="RemoteIdentity"/> with <c>IIdentityStore.SaveIdentityAsync</c> when it stores the
/// session. Dispose to wipe the secrets.
/// </summary>
internal sealed class InitiatorHandshakeResult : HandshakeResult
{
    private readonly byte[] _remoteRatchetKey;

    internal InitiatorHandshakeResult(HandshakeSecrets secrets, IdentityKey remoteIdentity, ReadOnlySpan<byte> remoteRatchetKey, PendingPreKeyFields pendingPreKey)
        : base(secrets)
    {
        _remoteRatchetKey = remoteRatchetKey.ToArray();
        RemoteIdentity = remoteIdentity;
        PendingPreKey = pendingPreKey;
    }

    /// <summary>The responder's identity, from the verified bundle.</summary>
    internal override IdentityKey RemoteIdentity { get; }

    /// <summary><c>SPK_B</c>: the responder's signed pre-key, its first ratchet public key (32 bytes).</summary>
    internal ReadOnlySpan<byte> RemoteRatchetKey => _remoteRatchetKey;

    /// <summary>The fields every <c>PreKeyMessage</c> of this session carries until a reply is decrypted.</summary>
    internal PendingPreKeyFields PendingPreKey { get; }
}
