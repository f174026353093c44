using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat;

/// <summary>
/// The payload step of a sender-key message (PROTOCOL.md section 7):
/// <c>OKM = HKDF(zeros(32), MK, "E2eChat/v1/sender-key/message", 44)</c>, then ChaCha20-Poly1305 with
/// <c>key = OKM[0..32]</c>, <c>nonce = OKM[32..44]</c>, <c>aad = header</c> over the padded plaintext.
/// </summary>
internal static class SenderKeyCipher
{
    /// <summary>Pads and encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/>.</summary>
    /// <param name="messageKey">The 32-byte message key.</param>
    /// <param name="header">The 32-byte header (associated data).</param>
    /// <param name="plaintext">The plaintext; must not overlap <paramref name="ciphertext"/>.</param>
    /// <param name="ciphertext">Exactly the padded length plus 16 bytes.</param>
    internal static void Encrypt(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> header, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Span<byte> payloadKeys = stackalloc byte[MessageKeys.Length];
        Span<byte> padded = ciphertext[..^Aead.TagLength];
        try
        {
            MessageKeys.ExpandWithLabel(messageKey, ProtocolLabels.SenderKeyMessageKey, payloadKeys);
            Padding.Pad(plaintext, padded);
            Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(payloadKeys), MessageKeys.Nonce(payloadKeys), padded, header, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payloadKeys);
        }
    }

    /// <summary>Authenticates, decrypts and unpads.</summary>
    /// <param name="messageKey">The 32-byte message key.</param>
    /// <param name="header">The 32-byte header (associated data).</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="padded">Receives the padded plaintext (ciphertext length - 16 bytes); zeroed on failure.</param>
    /// <param name="plaintextLength">The plaintext length at the start of <paramref name="padded"/>.</param>
    /// <returns><see cref="E2eChatFailure.None"/>, <see cref="E2eChatFailure.InvalidCiphertext"/> or <see cref="E2eChatFailure.InvalidPadding"/>.</returns>
    internal static E2eChatFailure TryDecrypt(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> padded, out int plaintextLength)
    {
        plaintextLength = 0;
        Span<byte> payloadKeys = stackalloc byte[MessageKeys.Length];
        try
        {
            MessageKeys.ExpandWithLabel(messageKey, ProtocolLabels.SenderKeyMessageKey, payloadKeys);
            if (!Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(payloadKeys), MessageKeys.Nonce(payloadKeys), ciphertext, header, padded))
            {
                return E2eChatFailure.InvalidCiphertext;
            }

            if (!Padding.TryUnpad(padded, out plaintextLength))
            {
                CryptographicOperations.ZeroMemory(padded);
                return E2eChatFailure.InvalidPadding;
            }

            return E2eChatFailure.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payloadKeys);
        }
    }
}
