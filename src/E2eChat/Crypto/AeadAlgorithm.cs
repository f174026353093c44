namespace E2eChat.Crypto;

/// <summary>The two AEADs the protocol uses, both with 32-byte keys and 16-byte tags.</summary>
internal enum AeadAlgorithm
{
    /// <summary>ChaCha20-Poly1305 with a 12-byte nonce (RFC 8439): message payloads.</summary>
    ChaCha20Poly1305 = 1,

    /// <summary>XChaCha20-Poly1305 with a 24-byte random nonce: encrypted headers and sealed state.</summary>
    XChaCha20Poly1305 = 2,
}
