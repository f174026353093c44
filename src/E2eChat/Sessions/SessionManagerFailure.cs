namespace E2eChat.Sessions;

/// <summary>Why the session manager refused an operation, besides the protocol's own failures.</summary>
public enum SessionManagerFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>There is no session with the address: start one from its pre-key bundle first.</summary>
    NoSession,

    /// <summary>The stored session record could not be loaded (see the inner <see cref="StateFailure"/>).</summary>
    CorruptState,

    /// <summary>
    /// The envelope's recipient is not this manager's <see cref="SessionManager.LocalAddress"/>: the relay
    /// delivered someone else's message. Nothing was read or stored.
    /// </summary>
    WrongRecipient,

    /// <summary>
    /// Other writers committed to the same session record every time this operation tried to, for
    /// <see cref="ProtocolLimits.MaxCommitAttempts"/> attempts (or the session store never accepts a
    /// write). Nothing was committed and no ciphertext or plaintext was released; the operation may
    /// be retried.
    /// </summary>
    StoreConflict,
}
