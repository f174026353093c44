using System.Security.Cryptography;
using E2eChat.Wire;

namespace E2eChat.Crypto;

/// <summary>
/// ML-KEM-768 (FIPS 203) through libsodium's <c>crypto_kem_mlkem768_*</c>. Encapsulation keys are
/// checked first (length, and the FIPS 203 section 7.2 modulus check); decapsulation uses implicit
/// rejection, so a tampered ciphertext yields an unrelated shared secret rather than an error.
/// </summary>
internal static class MlKem768
{
    /// <summary>Encapsulation (public) key length in bytes.</summary>
    public const int PublicKeyLength = PublicKeyEncoding.KemLength;

    /// <summary>Expanded decapsulation (secret) key length in bytes.</summary>
    public const int SecretKeyLength = 2400;

    /// <summary>Ciphertext length in bytes.</summary>
    public const int CiphertextLength = 1088;

    /// <summary>Shared secret length in bytes.</summary>
    public const int SharedSecretLength = 32;

    /// <summary>Key-generation seed length: <c>d || z</c>, 64 bytes.</summary>
    public const int SeedLength = 64;

    /// <summary>Encapsulation randomness <c>m</c> length, 32 bytes.</summary>
    public const int EncapsulationSeedLength = 32;

    /// <summary>Derives a key pair from a 64-byte seed <c>d || z</c> (FIPS 203 ML-KEM.KeyGen_internal).</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="publicKey">Receives 1184 bytes.</param>
    /// <param name="secretKey">Receives 2400 bytes; the caller wipes it.</param>
    public static unsafe void GenerateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        Error.CheckLength(seed.Length, SeedLength, nameof(seed));
        Error.CheckLength(publicKey.Length, PublicKeyLength, nameof(publicKey));
        Error.CheckLength(secretKey.Length, SecretKeyLength, nameof(secretKey));
        Sodium.EnsureInitialized();
        fixed (byte* pk = publicKey)
        fixed (byte* sk = secretKey)
        fixed (byte* s = seed)
        {
            if (Sodium.crypto_kem_mlkem768_seed_keypair(pk, sk, s) != 0)
            {
                throw new CryptographicException("ML-KEM-768 key generation failed.");
            }
        }
    }

    /// <summary>Generates a key pair from fresh randomness.</summary>
    internal static void GenerateKeyPair(RandomSource random, Span<byte> publicKey, Span<byte> secretKey)
    {
        Span<byte> seed = stackalloc byte[SeedLength];
        try
        {
            random.Fill(seed);
            GenerateKeyPair(seed, publicKey, secretKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Checks an encapsulation key: length and every 12-bit coefficient below q = 3329.</summary>
    /// <param name="publicKey">The key as received.</param>
    /// <returns><see langword="true"/> when the key passes the FIPS 203 input checks.</returns>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => PublicKeyEncoding.IsValidKem(publicKey);

    /// <summary>Encapsulates to <paramref name="publicKey"/> with fresh randomness.</summary>
    /// <param name="publicKey">The recipient's encapsulation key.</param>
    /// <param name="ciphertext">Receives 1088 bytes.</param>
    /// <param name="sharedSecret">Receives 32 bytes; the caller wipes it.</param>
    /// <returns><see langword="false"/> when the public key is invalid.</returns>
    public static bool TryEncapsulate(ReadOnlySpan<byte> publicKey, Span<byte> ciphertext, Span<byte> sharedSecret) =>
        TryEncapsulate(RandomSource.System, publicKey, ciphertext, sharedSecret);

    /// <summary>Encapsulates with randomness drawn from <paramref name="random"/>.</summary>
    internal static bool TryEncapsulate(RandomSource random, ReadOnlySpan<byte> publicKey, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Span<byte> m = stackalloc byte[EncapsulationSeedLength];
        try
        {
            random.Fill(m);
            return TryEncapsulateDeterministic(publicKey, m, ciphertext, sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(m);
        }
    }

    /// <summary>
    /// Deterministic encapsulation (FIPS 203 ML-KEM.Encaps_internal) with caller-chosen <c>m</c>;
    /// for test vectors only, since a repeated <c>m</c> repeats the shared secret.
    /// </summary>
    /// <param name="publicKey">The recipient's encapsulation key.</param>
    /// <param name="seed">The 32-byte message <c>m</c>.</param>
    /// <param name="ciphertext">Receives 1088 bytes.</param>
    /// <param name="sharedSecret">Receives 32 bytes.</param>
    /// <returns><see langword="false"/> when the public key is invalid.</returns>
    public static unsafe bool TryEncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> seed, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Error.CheckLength(seed.Length, EncapsulationSeedLength, nameof(seed));
        Error.CheckLength(ciphertext.Length, CiphertextLength, nameof(ciphertext));
        Error.CheckLength(sharedSecret.Length, SharedSecretLength, nameof(sharedSecret));
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
            return Sodium.crypto_kem_mlkem768_enc_deterministic(ct, ss, pk, s) == 0;
        }
    }

    /// <summary>Decapsulates. A ciphertext of the wrong length fails; a tampered one gives an unrelated secret.</summary>
    /// <param name="secretKey">The 2400-byte decapsulation key.</param>
    /// <param name="ciphertext">The ciphertext as received.</param>
    /// <param name="sharedSecret">Receives 32 bytes.</param>
    /// <returns><see langword="false"/> when the ciphertext length is wrong.</returns>
    public static unsafe bool TryDecapsulate(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        Error.CheckLength(secretKey.Length, SecretKeyLength, nameof(secretKey));
        Error.CheckLength(sharedSecret.Length, SharedSecretLength, nameof(sharedSecret));
        if (ciphertext.Length != CiphertextLength)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* ss = sharedSecret)
        fixed (byte* ct = ciphertext)
        fixed (byte* sk = secretKey)
        {
            return Sodium.crypto_kem_mlkem768_dec(ss, ct, sk) == 0;
        }
    }
}
