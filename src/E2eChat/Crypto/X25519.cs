using System.Security.Cryptography;
using E2eChat.Wire;

namespace E2eChat.Crypto;

/// <summary>
/// X25519 (RFC 7748) over raw libsodium calls on library-owned buffers. Every peer public key is
/// checked as raw bytes before use: canonical encoding (top bit clear, value below p) and not one of
/// the points of small order; an all-zero shared secret is refused as well.
/// </summary>
internal static class X25519
{
    /// <summary>Length of public keys, private keys and shared secrets in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Checks a peer's raw public key without importing it anywhere.</summary>
    /// <param name="publicKey">The 32 raw bytes as received.</param>
    /// <returns><see cref="KeyAgreementFailure.None"/> when the key may be used, otherwise why not.</returns>
    public static KeyAgreementFailure ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeyLength)
        {
            return KeyAgreementFailure.InvalidLength;
        }

        if (!PublicKeyEncoding.IsCanonicalX25519(publicKey))
        {
            return KeyAgreementFailure.NonCanonicalPublicKey;
        }

        return PublicKeyEncoding.IsLowOrderX25519(publicKey) ? KeyAgreementFailure.LowOrderPublicKey : KeyAgreementFailure.None;
    }

    /// <summary>Generates a key pair into caller-owned spans.</summary>
    /// <param name="privateKey">Receives the 32-byte private scalar; the caller wipes it.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static void GenerateKeyPair(Span<byte> privateKey, Span<byte> publicKey) =>
        GenerateKeyPair(RandomSource.System, privateKey, publicKey);

    /// <summary>Generates a key pair from the given randomness source.</summary>
    internal static void GenerateKeyPair(RandomSource random, Span<byte> privateKey, Span<byte> publicKey)
    {
        Error.CheckLength(privateKey.Length, KeyLength, nameof(privateKey));
        random.Fill(privateKey);
        DerivePublicKey(privateKey, publicKey);
    }

    /// <summary>Computes the public key of a private scalar.</summary>
    /// <param name="privateKey">The 32-byte private scalar.</param>
    /// <param name="publicKey">Receives the 32-byte public key.</param>
    public static unsafe void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        Error.CheckLength(privateKey.Length, KeyLength, nameof(privateKey));
        Error.CheckLength(publicKey.Length, KeyLength, nameof(publicKey));
        Sodium.EnsureInitialized();
        fixed (byte* q = publicKey)
        fixed (byte* n = privateKey)
        {
            if (Sodium.crypto_scalarmult_curve25519_base(q, n) != 0)
            {
                throw new CryptographicException("X25519 base-point multiplication failed.");
            }
        }
    }

    /// <summary>
    /// Computes the shared secret between our private key and a peer's public key, after checking
    /// the peer's raw bytes. On failure <paramref name="sharedSecret"/> is zeroed.
    /// </summary>
    /// <param name="privateKey">Our 32-byte private scalar.</param>
    /// <param name="peerPublicKey">The peer's 32 raw public-key bytes.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret; the caller wipes it.</param>
    /// <returns><see cref="KeyAgreementFailure.None"/> on success, otherwise the reason.</returns>
    public static unsafe KeyAgreementFailure Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        Error.CheckLength(privateKey.Length, KeyLength, nameof(privateKey));
        Error.CheckLength(sharedSecret.Length, KeyLength, nameof(sharedSecret));
        KeyAgreementFailure failure = ValidatePublicKey(peerPublicKey);
        if (failure != KeyAgreementFailure.None)
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            return failure;
        }

        Sodium.EnsureInitialized();
        int rc;
        fixed (byte* q = sharedSecret)
        fixed (byte* n = privateKey)
        fixed (byte* p = peerPublicKey)
        {
            rc = Sodium.crypto_scalarmult_curve25519(q, n, p);
        }

        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            return KeyAgreementFailure.ZeroSharedSecret;
        }

        return KeyAgreementFailure.None;
    }
}
