namespace E2eChat.Handshake;

/// <summary>
/// Why a handshake (PROTOCOL.md section 4) was refused, by the initiator starting a session or by the
/// responder processing a <c>PreKeyMessage</c>. Nothing is stored when a handshake fails.
/// </summary>
public enum HandshakeFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The initiator's <c>identity_key</c> is not a valid identity (section 3.1).</summary>
    InvalidIdentityKey,

    /// <summary>
    /// The peer's identity differs from the one recorded for its address (section 8.1); it stays
    /// refused until the application approves it.
    /// </summary>
    /// <remarks>
    /// Also reported by <c>SessionManager.EncryptAsync</c> and <c>TryDecryptAsync</c> for an existing
    /// session whose peer identity is no longer the one trusted for the address (the application
    /// approved another): such a session neither sends nor receives until a session with the trusted
    /// identity replaces it.
    /// </remarks>
    UntrustedIdentity,

    /// <summary>The <c>base_key</c> fails the peer X25519 key check.</summary>
    InvalidBaseKey,

    /// <summary>
    /// The <c>kem_ciphertext</c> is not 1088 bytes. A message received through
    /// <c>SessionManager</c> has its length checked with the canonical rules first (<c>Malformed</c>).
    /// </summary>
    InvalidKemCiphertext,

    /// <summary>No signed pre-key with the given id is stored.</summary>
    UnknownSignedPreKey,

    /// <summary>No one-time pre-key with the given (nonzero) id is stored: never issued, or already consumed.</summary>
    UnknownOneTimePreKey,

    /// <summary>No KEM pre-key with the given id is stored: never issued, or a one-time one already consumed.</summary>
    UnknownKemPreKey,
}
