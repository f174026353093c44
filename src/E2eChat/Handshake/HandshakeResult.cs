namespace E2eChat.Handshake;

/// <summary>
/// What either side of a handshake hands to the session layer (<see cref="InitiatorHandshakeResult"/>,
/// <see cref="ResponderHandshakeResult"/>): the derived secrets and the peer's identity. Dispose to
/// wipe the secrets.
/// </summary>
internal abstract class HandshakeResult : IDisposable
{
    /// <summary>Takes ownership of <paramref name="secrets"/>.</summary>
    /// <param name="secrets">The derived secrets.</param>
    private protected HandshakeResult(HandshakeSecrets secrets) => Secrets = secrets;

    /// <summary>RK0, HKA, NHKB, SID and AD.</summary>
    internal HandshakeSecrets Secrets { get; }

    /// <summary>The peer's identity.</summary>
    internal abstract IdentityKey RemoteIdentity { get; }

    /// <summary>Wipes the secrets.</summary>
    public virtual void Dispose() => Secrets.Dispose();
}
