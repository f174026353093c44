namespace E2eChat.Crypto;

/// <summary>Why an X25519 key agreement or a peer's X25519 public key was refused.</summary>
internal enum KeyAgreementFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The public key is not exactly 32 bytes.</summary>
    InvalidLength,

    /// <summary>
    /// The encoding is not canonical: the top bit is set or the value is not below 2^255 - 19.
    /// (NSec would silently clear the top bit; the protocol refuses instead.)
    /// </summary>
    NonCanonicalPublicKey,

    /// <summary>The public key is a point of small order, which would force a predictable output.</summary>
    LowOrderPublicKey,

    /// <summary>The agreement produced the all-zero shared secret (a non-contributory peer key).</summary>
    ZeroSharedSecret,
}
