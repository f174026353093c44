using System.Security.Cryptography;

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

    /// <summary>
    /// The canonical encodings (below p, top bit clear) of the points of order 1, 2, 4 and 8 on
    /// Curve25519 and its twist: 0, 1, p-1 and the two order-8 u-coordinates. Every other low-order
    /// encoding is non-canonical (at least p, or top bit set) and fails the canonical check first.
    /// </summary>
    private static readonly byte[][] s_lowOrderPoints =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    ];

    /// <summary>Checks a peer's raw public key without importing it anywhere.</summary>
    /// <param name="publicKey">The 32 raw bytes as received.</param>
    /// <returns><see cref="KeyAgreementFailure.None"/> when the key may be used, otherwise why not.</returns>
    public static KeyAgreementFailure ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeyLength)
        {
            return KeyAgreementFailure.InvalidLength;
        }

        if (!IsCanonical(publicKey))
        {
            return KeyAgreementFailure.NonCanonicalPublicKey;
        }

        foreach (byte[] point in s_lowOrderPoints)
        {
            if (publicKey.SequenceEqual(point))
            {
                return KeyAgreementFailure.LowOrderPublicKey;
            }
        }

        return KeyAgreementFailure.None;
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

    private static bool IsCanonical(ReadOnlySpan<byte> key)
    {
        if ((key[31] & 0x80) != 0)
        {
            return false;
        }

        // Below p = 2^255 - 19 unless the value is 0x7fff...ff followed by a low byte >= 0xed.
        if (key[31] != 0x7f || key[0] < 0xed)
        {
            return true;
        }

        for (int i = 1; i < 31; i++)
        {
            if (key[i] != 0xff)
            {
                return true;
            }
        }

        return false;
    }
}
