namespace E2eChat.Benchmarks;

/// <summary>
/// A primitive of the floor, measured by one benchmark of <see cref="PrimitiveBenchmarks"/> or
/// <see cref="PayloadPrimitiveBenchmarks"/> (see <see cref="FloorRecipes.Benchmark"/>).
/// </summary>
internal enum Primitive
{
    /// <summary>HMAC-SHA256 of one byte (half a chain step).</summary>
    Hmac,

    /// <summary>HKDF-SHA256 to 44 bytes (message key to payload key and nonce).</summary>
    Hkdf44,

    /// <summary>HKDF-SHA256 to 96 bytes (root-key step).</summary>
    Hkdf96,

    /// <summary>HKDF-SHA256 to 128 bytes (handshake).</summary>
    Hkdf128,

    /// <summary>24 random bytes (header nonce).</summary>
    Random24,

    /// <summary>XChaCha20-Poly1305 encryption of a 40-byte header.</summary>
    HeaderEncrypt,

    /// <summary>XChaCha20-Poly1305 decryption of a 56-byte encrypted header.</summary>
    HeaderDecrypt,

    /// <summary>A failed header trial: XChaCha20-Poly1305 decryption of 56 bytes under a wrong key.</summary>
    HeaderDecryptFailure,

    /// <summary>ChaCha20-Poly1305 encryption of the padded payload.</summary>
    PayloadEncrypt,

    /// <summary>ChaCha20-Poly1305 decryption of the padded payload.</summary>
    PayloadDecrypt,

    /// <summary>X25519 key generation (random scalar and base-point multiplication).</summary>
    X25519KeyGen,

    /// <summary>X25519 base-point multiplication alone.</summary>
    X25519PublicKey,

    /// <summary>X25519 agreement with the raw key checks.</summary>
    X25519Agree,

    /// <summary>ML-KEM-768 encapsulation (with randomness and the key check).</summary>
    MlKemEncapsulate,

    /// <summary>ML-KEM-768 decapsulation.</summary>
    MlKemDecapsulate,

    /// <summary>Ed25519 strict verification.</summary>
    Ed25519Verify,
}
