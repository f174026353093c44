namespace E2eChat.Wire;

/// <summary>
/// The raw-byte checks of public keys as a peer sends them, shared by the client (before it imports a
/// key: NSec clears the top bit of an X25519 key on import) and the keyless relay (before it stores
/// one): X25519 keys (PROTOCOL.md section 1, <c>CheckX25519</c>) and ML-KEM-768 encapsulation keys
/// (FIPS 203 section 7.2). Nothing is allocated.
/// </summary>
internal static class PublicKeyEncoding
{
    /// <summary>The length of an X25519 public key.</summary>
    internal const int X25519Length = 32;

    /// <summary>The length of an ML-KEM-768 encapsulation key (FIPS 203).</summary>
    internal const int KemLength = 1184;

    /// <summary>q, the ML-KEM modulus: every 12-bit coefficient of an encapsulation key is below it.</summary>
    private const int KemModulus = 3329;

    /// <summary>The encoded polynomials <c>t</c> at the start of an encapsulation key (k = 3, 384 bytes each); the 32-byte seed follows.</summary>
    private const int KemEncodedPolynomialsLength = 3 * 384;

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

    /// <summary>Whether a 32-byte X25519 key is canonical: top bit clear and the little-endian value below p = 2^255 - 19.</summary>
    /// <param name="key">The key; exactly <see cref="X25519Length"/> bytes (the caller checks the length first).</param>
    /// <returns><see langword="true"/> when canonical.</returns>
    internal static bool IsCanonicalX25519(ReadOnlySpan<byte> key)
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

    /// <summary>Whether a canonical X25519 key is one of the points of small order.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when it must be refused as low-order.</returns>
    internal static bool IsLowOrderX25519(ReadOnlySpan<byte> key)
    {
        foreach (byte[] point in s_lowOrderPoints)
        {
            if (key.SequenceEqual(point))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="key"/> is an ML-KEM-768 encapsulation key: 1184 bytes, every 12-bit coefficient below q = 3329.</summary>
    /// <param name="key">The key as received.</param>
    /// <returns><see langword="true"/> when the key passes the FIPS 203 input checks.</returns>
    internal static bool IsValidKem(ReadOnlySpan<byte> key)
    {
        if (key.Length != KemLength)
        {
            return false;
        }

        ReadOnlySpan<byte> polynomials = key[..KemEncodedPolynomialsLength];
        for (int i = 0; i < polynomials.Length; i += 3)
        {
            int c0 = polynomials[i] | ((polynomials[i + 1] & 0x0f) << 8);
            int c1 = (polynomials[i + 1] >> 4) | (polynomials[i + 2] << 4);
            if (c0 >= KemModulus || c1 >= KemModulus)
            {
                return false;
            }
        }

        return true;
    }
}
