using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>HMAC-SHA256 (RFC 2104) with 32-byte keys over raw libsodium, allocation-free.</summary>
internal static class HmacSha256
{
    /// <summary>The key length the protocol uses, in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>The full tag length in bytes.</summary>
    public const int TagLength = 32;

    /// <summary>The shortest truncated tag <see cref="Verify"/> accepts (128 bits).</summary>
    public const int MinTagLength = 16;

    /// <summary>Computes <c>HMAC-SHA256(key, message)</c>.</summary>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="message">The message.</param>
    /// <param name="tag">Receives the 32-byte tag; may overlap <paramref name="key"/> or <paramref name="message"/>.</param>
    public static unsafe void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"Expected a {KeyLength}-byte key.", nameof(key));
        }

        if (tag.Length != TagLength)
        {
            throw new ArgumentException($"Expected a {TagLength}-byte tag buffer.", nameof(tag));
        }

        Sodium.EnsureInitialized();
        Span<byte> result = stackalloc byte[TagLength];
        fixed (byte* o = result)
        fixed (byte* m = message)
        fixed (byte* k = key)
        {
            if (Sodium.crypto_auth_hmacsha256(o, m, (ulong)message.Length, k) != 0)
            {
                throw new CryptographicException("HMAC-SHA256 failed.");
            }
        }

        result.CopyTo(tag);
        CryptographicOperations.ZeroMemory(result);
    }

    /// <summary>
    /// Verifies a full or truncated tag (at least <see cref="MinTagLength"/> bytes) in constant time.
    /// </summary>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="message">The message.</param>
    /// <param name="tag">The tag to check: the leading bytes of the full tag.</param>
    /// <returns><see langword="true"/> when the tag is correct.</returns>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> tag)
    {
        if (tag.Length is < MinTagLength or > TagLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        Compute(key, message, expected);
        bool ok = CryptographicOperations.FixedTimeEquals(expected[..tag.Length], tag);
        CryptographicOperations.ZeroMemory(expected);
        return ok;
    }
}
