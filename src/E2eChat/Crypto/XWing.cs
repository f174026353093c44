using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>
/// X-Wing (draft-connolly-cfrg-xwing-kem): the hybrid of X25519 and ML-KEM-768, through libsodium's
/// <c>crypto_kem_xwing_*</c>. Offered for applications that want a single hybrid KEM; the E2eChat
/// handshake itself combines X25519 and ML-KEM-768 in its own KDF (see PROTOCOL.md).
/// </summary>
public static class XWing
{
    /// <summary>Public key length: ML-KEM-768 key (1184) followed by an X25519 key (32).</summary>
    public const int PublicKeyLength = 1216;

    /// <summary>Secret key length: the 32-byte seed from which both parts are expanded.</summary>
    public const int SecretKeyLength = 32;

    /// <summary>Ciphertext length: ML-KEM-768 ciphertext (1088) followed by an X25519 key (32).</summary>
    public const int CiphertextLength = 1120;

    /// <summary>Shared secret length in bytes.</summary>
    public const int SharedSecretLength = 32;

    /// <summary>Key-generation seed length in bytes.</summary>
    public const int SeedLength = 32;

    /// <summary>Deterministic encapsulation randomness: ML-KEM <c>m</c> (32) then the X25519 ephemeral scalar (32).</summary>
    public const int EncapsulationSeedLength = 64;

    /// <summary>Derives a key pair from a 32-byte seed.</summary>
    /// <param name="seed">The seed (it is also the secret key).</param>
    /// <param name="publicKey">Receives 1216 bytes.</param>
    /// <param name="secretKey">Receives 32 bytes; the caller wipes it.</param>
    public static unsafe void GenerateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        Check(seed.Length, SeedLength, nameof(seed));
        Check(publicKey.Length, PublicKeyLength, nameof(publicKey));
        Check(secretKey.Length, SecretKeyLength, nameof(secretKey));
        Sodium.EnsureInitialized();
        fixed (byte* pk = publicKey)
        fixed (byte* sk = secretKey)
        fixed (byte* s = seed)
        {
            if (Sodium.crypto_kem_xwing_seed_keypair(pk, sk, s) != 0)
            {
                throw new CryptographicException("X-Wing key generation failed.");
            }
        }
    }

    /// <summary>Checks the ML-KEM part (modulus check) and the X25519 part (canonical, not low order).</summary>
    /// <param name="publicKey">The key as received.</param>
    /// <returns><see langword="true"/> when usable.</returns>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeyLength
        && MlKem768.IsValidPublicKey(publicKey[..MlKem768.PublicKeyLength])
        && X25519.ValidatePublicKey(publicKey[MlKem768.PublicKeyLength..]) == KeyAgreementFailure.None;

    /// <summary>Encapsulates with fresh randomness.</summary>
    /// <param name="publicKey">The recipient's public key.</param>
    /// <param name="ciphertext">Receives 1120 bytes.</param>
    /// <param name="sharedSecret">Receives 32 bytes.</param>
    /// <returns><see langword="false"/> when the public key is invalid.</returns>
    public static bool TryEncapsulate(ReadOnlySpan<byte> publicKey, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Span<byte> seed = stackalloc byte[EncapsulationSeedLength];
        try
        {
            RandomSource.System.Fill(seed);
            return TryEncapsulateDeterministic(publicKey, seed, ciphertext, sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Deterministic encapsulation for test vectors.</summary>
    /// <param name="publicKey">The recipient's public key.</param>
    /// <param name="seed">64 bytes of encapsulation randomness.</param>
    /// <param name="ciphertext">Receives 1120 bytes.</param>
    /// <param name="sharedSecret">Receives 32 bytes.</param>
    /// <returns><see langword="false"/> when the public key is invalid.</returns>
    public static unsafe bool TryEncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> seed, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Check(seed.Length, EncapsulationSeedLength, nameof(seed));
        Check(ciphertext.Length, CiphertextLength, nameof(ciphertext));
        Check(sharedSecret.Length, SharedSecretLength, nameof(sharedSecret));
        if (!IsValidPublicKey(publicKey))
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* ct = ciphertext)
        fixed (byte* ss = sharedSecret)
        fixed (byte* pk = publicKey)
        fixed (byte* s = seed)
        {
            return Sodium.crypto_kem_xwing_enc_deterministic(ct, ss, pk, s) == 0;
        }
    }

    /// <summary>Decapsulates; a wrong-length ciphertext fails.</summary>
    /// <param name="secretKey">The 32-byte secret key.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="sharedSecret">Receives 32 bytes.</param>
    /// <returns><see langword="false"/> on a malformed ciphertext.</returns>
    public static unsafe bool TryDecapsulate(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        Check(secretKey.Length, SecretKeyLength, nameof(secretKey));
        Check(sharedSecret.Length, SharedSecretLength, nameof(sharedSecret));
        if (ciphertext.Length != CiphertextLength)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* ss = sharedSecret)
        fixed (byte* ct = ciphertext)
        fixed (byte* sk = secretKey)
        {
            return Sodium.crypto_kem_xwing_dec(ss, ct, sk) == 0;
        }
    }

    private static void Check(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} bytes.", name);
        }
    }
}
