using System.Buffers.Binary;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Keyless checks of public keys a device publishes: X25519 keys (PROTOCOL.md section 1,
/// <c>CheckX25519</c> steps 1-3), ML-KEM-768 encapsulation keys (FIPS 203 section 7.2) and public
/// identities (PROTOCOL.md 3.1).
/// </summary>
internal static class PublicKeyChecks
{
    /// <summary>Whether <paramref name="key"/> is 32 bytes, canonical (below 2^255 - 19) and not a low-order point.</summary>
    /// <param name="key">The candidate X25519 public key.</param>
    /// <returns><see langword="true"/> when it passes.</returns>
    internal static bool IsValidX25519(ReadOnlySpan<byte> key) =>
        key.Length == PublicKeyEncoding.X25519Length && PublicKeyEncoding.IsCanonicalX25519(key) && !PublicKeyEncoding.IsLowOrderX25519(key);

    /// <summary>Whether <paramref name="key"/> is an ML-KEM-768 encapsulation key: 1184 bytes, every 12-bit coefficient below q = 3329.</summary>
    /// <param name="key">The candidate key.</param>
    /// <returns><see langword="true"/> when it passes.</returns>
    internal static bool IsValidKemPublicKey(ReadOnlySpan<byte> key) => PublicKeyEncoding.IsValidKem(key);

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
