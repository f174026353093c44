using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// The symmetric chain step (PROTOCOL.md section 5.2, also used by sender keys in section 7):
/// <c>MK = HMAC-SHA256(ck, 0x01)</c>, <c>CK' = HMAC-SHA256(ck, 0x02)</c>.
/// </summary>
internal static class ChainKdf
{
    /// <summary>Length of chain keys and message keys in bytes.</summary>
    internal const int KeyLength = 32;

    private static ReadOnlySpan<byte> MessageKeySeed => [0x01];

    private static ReadOnlySpan<byte> ChainKeySeed => [0x02];

    /// <summary>Derives the message key of the current step and the next chain key.</summary>
    /// <param name="chainKey">The current 32-byte chain key.</param>
    /// <param name="messageKey">Receives the 32-byte message key; must not overlap <paramref name="chainKey"/>.</param>
    /// <param name="nextChainKey">Receives CK'; may be the same memory as <paramref name="chainKey"/> (in place).</param>
    internal static void Advance(ReadOnlySpan<byte> chainKey, Span<byte> messageKey, Span<byte> nextChainKey)
    {
        if (chainKey.Length != KeyLength)
        {
            throw Error.WrongLength(KeyLength, nameof(chainKey));
        }

        if (messageKey.Overlaps(chainKey) || messageKey.Overlaps(nextChainKey))
        {
            throw new ArgumentException("The message key must not overlap the chain keys.", nameof(messageKey));
        }

        HmacSha256.Compute(chainKey, MessageKeySeed, messageKey);
        HmacSha256.Compute(chainKey, ChainKeySeed, nextChainKey);
    }
}
