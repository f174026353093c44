namespace E2eChat.Groups;

/// <summary>
/// Why a sender-key message could not be decrypted (PROTOCOL.md section 7). The checks run in the
/// order of the values below, and every value means the stored record was left exactly as it was.
/// </summary>
public enum SenderKeyFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// The message is not the canonical encoding of a <c>SenderKeyMessage</c>: a field is missing,
    /// repeated, unknown, out of order, of the wrong length, or default-valued; the chain id is zero;
    /// the iteration is 4294967295; or the ciphertext length minus 16 is not a padding bucket.
    /// </summary>
    Malformed,

    /// <summary>
    /// No sender key is held for the message's distribution id from this sender, or the record holds no
    /// generation with its chain id: the sender never distributed it to us (a non-member), it was
    /// rotated after we were removed, or the generation was evicted.
    /// </summary>
    UnknownSenderKey,

    /// <summary>The signature does not verify under the generation's signing key.</summary>
    BadSignature,

    /// <summary>The post carries a nonzero expiry that is not after the receiver's clock.</summary>
    Expired,

    /// <summary>
    /// The message would make the receiver derive more than <see cref="ProtocolLimits.MaxSenderKeyGap"/>
    /// keys; refused before any key is derived.
    /// </summary>
    TooBigGap,

    /// <summary>
    /// The iteration's key is no longer held: the post was already decrypted, or its skipped key was
    /// evicted or deleted as expired.
    /// </summary>
    Duplicate,

    /// <summary>The payload did not authenticate under the message key.</summary>
    InvalidCiphertext,

    /// <summary>The payload authenticated but its padding is invalid (PROTOCOL.md section 6).</summary>
    InvalidPadding,
}
