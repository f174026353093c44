namespace E2eChat.Sessions;

/// <summary>Why the session manager refused to encrypt.</summary>
public enum SessionManagerFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>There is no session with the address: start one from its pre-key bundle first.</summary>
    NoSession,

    /// <summary>The stored session record could not be loaded (see the inner <see cref="StateFailure"/>).</summary>
    CorruptState,
}
