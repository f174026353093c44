namespace E2eChat.Ratchet;

/// <summary>
/// Why a Double Ratchet message could not be decrypted (PROTOCOL.md section 5.5). Every value means
/// the stored session state was left exactly as it was.
/// </summary>
public enum DecryptionFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// The encrypted header is not 80 bytes, or the ciphertext length minus 16 is not a padding
    /// bucket (section 6).
    /// </summary>
    Malformed,

    /// <summary>
    /// No header key of the session opens the header: another session's message, a tampered header,
    /// a message of a receiving chain that is no longer remembered, or a header whose message
    /// counter is above the last usable counter (4294967294).
    /// </summary>
    InvalidHeader,

    /// <summary>
    /// The message's key is no longer held: the message was already decrypted, or its skipped key
    /// was evicted.
    /// </summary>
    Duplicate,

    /// <summary>
    /// The message would make the receiver derive more than <see cref="ProtocolLimits.MaxMessageGap"/>
    /// keys in one chain; refused before any key is derived.
    /// </summary>
    TooBigGap,

    /// <summary>The new ratchet public key in the header is not a usable X25519 key.</summary>
    InvalidRatchetKey,

    /// <summary>The payload did not authenticate under the message key.</summary>
    InvalidCiphertext,

    /// <summary>The payload authenticated but its padding is invalid (section 6).</summary>
    InvalidPadding,

    /// <summary>There is no session state to decrypt with.</summary>
    NoSession,
}
