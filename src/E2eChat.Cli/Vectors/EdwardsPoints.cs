using System.Runtime.InteropServices;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// Edwards25519 point arithmetic for the vector generator, from the libsodium that NSec bundles (the
/// library <c>E2eChat.Crypto.Sodium</c> binds for what NSec lacks). Only vectors use it: the
/// protocol itself never adds points.
/// </summary>
internal static partial class EdwardsPoints
{
    private const string Library = "libsodium";

    /// <summary>The length of a point encoding and of a scalar.</summary>
    internal const int Length = 32;

    /// <summary>A point of order 8 (PROTOCOL.md section 1 lists its encoding among the small-order ones).</summary>
    internal static readonly byte[] OrderEight = Hex.Decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "order-8 point");

    /// <summary><paramref name="p"/> + <paramref name="q"/> (both canonical points on the curve, any order).</summary>
    internal static byte[] Add(byte[] p, byte[] q)
    {
        byte[] sum = new byte[Length];
        Expect.True(p.Length == Length && q.Length == Length && crypto_core_ed25519_add(sum, p, q) == 0, "crypto_core_ed25519_add refused its points");
        return sum;
    }

    /// <summary>[<paramref name="scalar"/>]B for a 32-byte little-endian scalar below L (not clamped).</summary>
    internal static byte[] MultiplyBase(byte[] scalar)
    {
        byte[] point = new byte[Length];
        Expect.True(scalar.Length == Length && crypto_scalarmult_ed25519_base_noclamp(point, scalar) == 0, "crypto_scalarmult_ed25519_base_noclamp refused its scalar");
        return point;
    }

    [LibraryImport(Library)]
    private static partial int crypto_core_ed25519_add(byte[] r, byte[] p, byte[] q);

    [LibraryImport(Library)]
    private static partial int crypto_scalarmult_ed25519_base_noclamp(byte[] q, byte[] n);
}
