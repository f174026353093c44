namespace E2eChat.Sessions;

/// <summary>Why sealed state could not be opened (PROTOCOL.md section 10).</summary>
public enum SealedStateFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// The sealed bytes were changed, truncated, carry an unknown version byte, or were sealed under a
    /// different storage key.
    /// </summary>
    Unauthentic,
}
