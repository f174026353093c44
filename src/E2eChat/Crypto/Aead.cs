using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (IETF, RFC 8439) and XChaCha20-Poly1305 over raw libsodium: span in, span out,
/// no key objects, nothing allocated. Ciphertexts carry the 16-byte tag at the end.
/// </summary>
internal static class Aead
{
    /// <summary>Key length of both algorithms in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Tag length of both algorithms in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Nonce length of ChaCha20-Poly1305 (IETF) in bytes.</summary>
    public const int ChaChaNonceLength = 12;

    /// <summary>Nonce length of XChaCha20-Poly1305 in bytes.</summary>
    public const int XChaChaNonceLength = 24;

    /// <summary>The nonce length of <paramref name="algorithm"/>.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns>12 or 24.</returns>
    public static int NonceLength(AeadAlgorithm algorithm) => algorithm switch
    {
        AeadAlgorithm.ChaCha20Poly1305 => ChaChaNonceLength,
        AeadAlgorithm.XChaCha20Poly1305 => XChaChaNonceLength,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (plaintext length + 16).</summary>
    /// <param name="algorithm">The AEAD.</param>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="nonce">The nonce (12 or 24 bytes); never reuse one under the same key.</param>
    /// <param name="plaintext">The plaintext; may be the same memory as the start of <paramref name="ciphertext"/>.</param>
    /// <param name="associatedData">Data authenticated but not encrypted.</param>
    /// <param name="ciphertext">Receives ciphertext and tag.</param>
    public static unsafe void Encrypt(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertext)
    {
        CheckKeyAndNonce(algorithm, key, nonce);
        if (ciphertext.Length != plaintext.Length + TagLength)
        {
            throw new ArgumentException("The ciphertext buffer must be the plaintext length plus 16.", nameof(ciphertext));
        }

        CheckOverlap(plaintext, ciphertext, nameof(ciphertext));
        Sodium.EnsureInitialized();
        ulong written;
        fixed (byte* c = ciphertext)
        fixed (byte* m = plaintext)
        fixed (byte* ad = associatedData)
        fixed (byte* n = nonce)
        fixed (byte* k = key)
        {
            int rc = algorithm == AeadAlgorithm.ChaCha20Poly1305
                ? Sodium.crypto_aead_chacha20poly1305_ietf_encrypt(c, &written, m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k)
                : Sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, &written, m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k);
            if (rc != 0)
            {
                throw new CryptographicException("AEAD encryption failed.");
            }
        }
    }

    /// <summary>
    /// Authenticates and decrypts. On failure nothing of the plaintext is left in
    /// <paramref name="plaintext"/> (it is zeroed) and <see langword="false"/> is returned.
    /// </summary>
    /// <param name="algorithm">The AEAD.</param>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="nonce">The nonce; a wrong length fails authentication rather than throwing.</param>
    /// <param name="ciphertext">Ciphertext and tag.</param>
    /// <param name="associatedData">The associated data.</param>
    /// <param name="plaintext">Receives the plaintext (ciphertext length - 16 bytes).</param>
    /// <returns><see langword="true"/> when the tag was valid.</returns>
    public static unsafe bool TryDecrypt(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"Expected a {KeyLength}-byte key.", nameof(key));
        }

        if (nonce.Length != NonceLength(algorithm) || ciphertext.Length < TagLength)
        {
            return false;
        }

        if (plaintext.Length != ciphertext.Length - TagLength)
        {
            throw new ArgumentException("The plaintext buffer must be the ciphertext length minus 16.", nameof(plaintext));
        }

        CheckOverlap(ciphertext, plaintext, nameof(plaintext));
        Sodium.EnsureInitialized();
        ulong written;
        int rc;
        fixed (byte* m = plaintext)
        fixed (byte* c = ciphertext)
        fixed (byte* ad = associatedData)
        fixed (byte* n = nonce)
        fixed (byte* k = key)
        {
            rc = algorithm == AeadAlgorithm.ChaCha20Poly1305
                ? Sodium.crypto_aead_chacha20poly1305_ietf_decrypt(m, &written, null, c, (ulong)ciphertext.Length, ad, (ulong)associatedData.Length, n, k)
                : Sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(m, &written, null, c, (ulong)ciphertext.Length, ad, (ulong)associatedData.Length, n, k);
        }

        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        return true;
    }

    private static void CheckKeyAndNonce(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"Expected a {KeyLength}-byte key.", nameof(key));
        }

        if (nonce.Length != NonceLength(algorithm))
        {
            throw new ArgumentException($"Expected a {NonceLength(algorithm)}-byte nonce.", nameof(nonce));
        }
    }

    /// <summary>Input and output may be the same memory (in place) but must not partially overlap.</summary>
    private static void CheckOverlap(ReadOnlySpan<byte> input, ReadOnlySpan<byte> output, string name)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException("Input and output overlap at different offsets.", name);
        }
    }
}
