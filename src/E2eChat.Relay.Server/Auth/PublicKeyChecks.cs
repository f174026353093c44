using System.Buffers.Binary;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Keyless checks of public keys a device publishes: X25519 keys (PROTOCOL.md section 1,
/// <c>CheckX25519</c> steps 1-3), ML-KEM-768 encapsulation keys (FIPS 203 section 7.2) and public
/// identities (PROTOCOL.md 3.1).
/// </summary>
internal static class PublicKeyChecks
{
    private const int KemCoefficientBytes = 1152;
    private const int KemModulus = 3329;

    // The five canonical low-order points of Curve25519 (PROTOCOL.md section 1).
    private static readonly byte[][] s_lowOrderPoints =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    ];

    /// <summary>Whether <paramref name="key"/> is 32 bytes, canonical (below 2^255 - 19) and not a low-order point.</summary>
    /// <param name="key">The candidate X25519 public key.</param>
    /// <returns><see langword="true"/> when it passes.</returns>
    internal static bool IsValidX25519(ReadOnlySpan<byte> key)
    {
        if (key.Length != RelayServerLimits.X25519KeyLength || (key[31] & 0x80) != 0)
        {
            return false;
        }

        // Canonical: the little-endian value is below p = 2^255 - 19, i.e. not in [p, 2^255 - 1]:
        // those are 0x7f ff..ff in bytes 31..1 and byte 0 at least 0xed.
        bool top = key[31] == 0x7f && key[1..31].IndexOfAnyExcept((byte)0xff) < 0;
        if (top && key[0] >= 0xed)
        {
            return false;
        }

        foreach (byte[] point in s_lowOrderPoints)
        {
            if (key.SequenceEqual(point))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="key"/> is an ML-KEM-768 encapsulation key: 1184 bytes, every 12-bit coefficient below q = 3329.</summary>
    /// <param name="key">The candidate key.</param>
    /// <returns><see langword="true"/> when it passes.</returns>
    internal static bool IsValidKemPublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != RelayServerLimits.KemPublicKeyLength)
        {
            return false;
        }

        for (int i = 0; i < KemCoefficientBytes; i += 3)
        {
            int first = key[i] | ((key[i + 1] & 0x0f) << 8);
            int second = (key[i + 1] >> 4) | (key[i + 2] << 4);
            if (first >= KemModulus || second >= KemModulus)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="identity"/> is a valid public identity: 128 bytes, a valid X25519 key, a binding signature that verifies.</summary>
    /// <param name="identity">The candidate identity <c>ipk (32) || idh (32) || bind (64)</c>.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool IsValidIdentity(ReadOnlySpan<byte> identity) =>
        identity.Length == RelayServerLimits.IdentityKeyLength
        && IsValidX25519(identity.Slice(32, 32))
        && Ed25519Verifier.Verify(identity[..32], SignatureLabels.IdentityDhKey, identity.Slice(32, 32), identity[64..]);

    /// <summary>The Ed25519 signing key of a public identity.</summary>
    /// <param name="identity">A 128-byte identity.</param>
    /// <returns>Its first 32 bytes.</returns>
    internal static ReadOnlySpan<byte> SigningKey(ReadOnlySpan<byte> identity) => identity[..32];

    /// <summary>Writes <c>u32be(id)</c>.</summary>
    /// <param name="destination">Four bytes.</param>
    /// <param name="id">The id.</param>
    internal static void WriteId(Span<byte> destination, uint id) => BinaryPrimitives.WriteUInt32BigEndian(destination, id);
}
