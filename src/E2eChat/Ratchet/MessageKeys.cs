using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// Expands a message key into the payload cipher's key and nonce (PROTOCOL.md section 5.2):
/// <c>OKM = HKDF(salt = zeros(32), ikm = MK, "E2eChat/v1/ratchet/message", 44)</c>,
/// <c>key = OKM[0..32]</c>, <c>nonce = OKM[32..44]</c>.
/// </summary>
internal static class MessageKeys
{
    /// <summary>Length of the expanded output: a 32-byte key followed by a 12-byte nonce.</summary>
    internal const int Length = Aead.KeyLength + Aead.ChaChaNonceLength;

    private static readonly byte[] s_zeroSalt = new byte[32];

    /// <summary>Expands <paramref name="messageKey"/> into <paramref name="output"/>.</summary>
    /// <param name="messageKey">The 32-byte message key.</param>
    /// <param name="output">Receives 44 bytes; the caller wipes them.</param>
    internal static void Expand(ReadOnlySpan<byte> messageKey, Span<byte> output) =>
        ExpandWithLabel(messageKey, ProtocolLabels.RatchetMessage, output);

    /// <summary>
    /// Expands <paramref name="messageKey"/> under another HKDF info label: sender keys (PROTOCOL.md
    /// section 7) use <see cref="ProtocolLabels.SenderKeyMessageKey"/>.
    /// </summary>
    /// <param name="messageKey">The 32-byte message key.</param>
    /// <param name="label">The HKDF info label.</param>
    /// <param name="output">Receives 44 bytes; the caller wipes them.</param>
    internal static void ExpandWithLabel(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> label, Span<byte> output)
    {
        if (messageKey.Length != ChainKdf.KeyLength)
        {
            throw Error.WrongLength(ChainKdf.KeyLength, nameof(messageKey));
        }

        if (output.Length != Length)
        {
            throw Error.WrongLength(Length, nameof(output));
        }

        HkdfSha256.DeriveKey(s_zeroSalt, messageKey, label, output);
    }

    /// <summary>The payload key within the expanded output.</summary>
    /// <param name="expanded">The 44 bytes from <see cref="Expand"/>.</param>
    /// <returns>The 32-byte key.</returns>
    internal static ReadOnlySpan<byte> Key(ReadOnlySpan<byte> expanded) => expanded[..Aead.KeyLength];

    /// <summary>The payload nonce within the expanded output.</summary>
    /// <param name="expanded">The 44 bytes from <see cref="Expand"/>.</param>
    /// <returns>The 12-byte nonce.</returns>
    internal static ReadOnlySpan<byte> Nonce(ReadOnlySpan<byte> expanded) => expanded[Aead.KeyLength..];
}
