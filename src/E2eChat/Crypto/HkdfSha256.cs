using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>HKDF-SHA256 (RFC 5869) over raw libsodium, writing into caller-owned spans.</summary>
internal static class HkdfSha256
{
    /// <summary>The pseudorandom key length produced by extract, in bytes.</summary>
    public const int PrkLength = 32;

    /// <summary>The longest output expand can produce: 255 blocks of 32 bytes (RFC 5869, section 2.3).</summary>
    public const int MaxOutputLength = 255 * 32;

    /// <summary>HKDF-Extract: <c>PRK = HMAC-SHA256(salt, ikm)</c>; an empty salt means 32 zero bytes.</summary>
    /// <param name="salt">The salt (any length).</param>
    /// <param name="inputKeyMaterial">The input keying material.</param>
    /// <param name="prk">Receives the 32-byte pseudorandom key.</param>
    public static unsafe void Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> prk)
    {
        if (prk.Length != PrkLength)
        {
            throw new ArgumentException($"Expected a {PrkLength}-byte buffer.", nameof(prk));
        }

        Sodium.EnsureInitialized();
        fixed (byte* p = prk)
        fixed (byte* s = salt)
        fixed (byte* i = inputKeyMaterial)
        {
            if (Sodium.crypto_kdf_hkdf_sha256_extract(p, s, (nuint)salt.Length, i, (nuint)inputKeyMaterial.Length) != 0)
            {
                throw new CryptographicException("HKDF-SHA256 extract failed.");
            }
        }
    }

    /// <summary>HKDF-Expand of <paramref name="output"/>.Length bytes.</summary>
    /// <param name="prk">The 32-byte pseudorandom key.</param>
    /// <param name="info">The context and application specific information.</param>
    /// <param name="output">Receives the output keying material (1 to <see cref="MaxOutputLength"/> bytes).</param>
    /// <returns><see langword="false"/> when the requested length exceeds <see cref="MaxOutputLength"/>.</returns>
    public static unsafe bool TryExpand(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (prk.Length != PrkLength)
        {
            throw new ArgumentException($"Expected a {PrkLength}-byte key.", nameof(prk));
        }

        if (output.Length > MaxOutputLength)
        {
            return false;
        }

        if (output.IsEmpty)
        {
            return true;
        }

        Sodium.EnsureInitialized();
        fixed (byte* o = output)
        fixed (byte* c = info)
        fixed (byte* p = prk)
        {
            return Sodium.crypto_kdf_hkdf_sha256_expand(o, (nuint)output.Length, c, (nuint)info.Length, p) == 0;
        }
    }

    /// <summary>Extract then expand in one call; the intermediate PRK is wiped.</summary>
    /// <param name="salt">The salt.</param>
    /// <param name="inputKeyMaterial">The input keying material.</param>
    /// <param name="info">The info string.</param>
    /// <param name="output">Receives the output keying material.</param>
    /// <returns><see langword="false"/> when the requested length exceeds <see cref="MaxOutputLength"/>.</returns>
    public static bool TryDeriveKey(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> info, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[PrkLength];
        try
        {
            Extract(salt, inputKeyMaterial, prk);
            return TryExpand(prk, info, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>Like <see cref="TryDeriveKey"/>, for lengths the protocol fixes; throws on misuse.</summary>
    internal static void DeriveKey(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (!TryDeriveKey(salt, inputKeyMaterial, info, output))
        {
            throw new ArgumentException("HKDF output too long.", nameof(output));
        }
    }
}
