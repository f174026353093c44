using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// Header encryption (PROTOCOL.md section 5.4):
/// <c>enc_header = hnonce (24 random) || XChaCha20-Poly1305(HK, hnonce, header, aad = empty)</c>,
/// 24 + 40 + 16 = 80 bytes. The random nonce makes a (header key, nonce) pair collide with
/// probability about 2^-192 per pair, so header keys can be reused across a whole chain.
/// </summary>
internal static class HeaderCipher
{
    /// <summary>Length of an encrypted header in bytes.</summary>
    internal const int EncryptedLength = Aead.XChaChaNonceLength + RatchetHeader.Length + Aead.TagLength;

    /// <summary>Encrypts a 40-byte header under <paramref name="headerKey"/> with a fresh random nonce.</summary>
    /// <param name="headerKey">The 32-byte sending header key.</param>
    /// <param name="header">The encoded header (40 bytes).</param>
    /// <param name="random">Where the nonce comes from.</param>
    /// <param name="destination">Receives the 80-byte encrypted header.</param>
    internal static void Encrypt(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> header, RandomSource random, Span<byte> destination)
    {
        if (header.Length != RatchetHeader.Length)
        {
            throw Error.WrongLength(RatchetHeader.Length, nameof(header));
        }

        if (destination.Length != EncryptedLength)
        {
            throw Error.WrongLength(EncryptedLength, nameof(destination));
        }

        if (destination.Overlaps(header))
        {
            throw Error.Overlap(nameof(destination), nameof(header));
        }

        Span<byte> nonce = destination[..Aead.XChaChaNonceLength];
        random.Fill(nonce);
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, headerKey, nonce, header, [], destination[Aead.XChaChaNonceLength..]);
    }

    /// <summary>Tries to open an encrypted header under <paramref name="headerKey"/>.</summary>
    /// <param name="headerKey">A 32-byte candidate header key.</param>
    /// <param name="encryptedHeader">The 80 bytes as received.</param>
    /// <param name="header">Receives the 40-byte header; zeroed on failure.</param>
    /// <returns><see langword="true"/> when the header authenticates under this key.</returns>
    internal static bool TryDecrypt(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> encryptedHeader, Span<byte> header)
    {
        if (header.Length != RatchetHeader.Length)
        {
            throw Error.WrongLength(RatchetHeader.Length, nameof(header));
        }

        if (encryptedHeader.Length != EncryptedLength)
        {
            header.Clear();
            return false;
        }

        return Aead.TryDecrypt(
            AeadAlgorithm.XChaCha20Poly1305,
            headerKey,
            encryptedHeader[..Aead.XChaChaNonceLength],
            encryptedHeader[Aead.XChaChaNonceLength..],
            [],
            header);
    }

    /// <summary>The random nonce of an encrypted header.</summary>
    /// <param name="encryptedHeader">The 80 bytes.</param>
    /// <returns>Its first 24 bytes.</returns>
    internal static ReadOnlySpan<byte> Nonce(ReadOnlySpan<byte> encryptedHeader) => encryptedHeader[..Aead.XChaChaNonceLength];
}
