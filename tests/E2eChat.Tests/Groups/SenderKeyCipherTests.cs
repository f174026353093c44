using System.Security.Cryptography;

namespace E2eChat.Tests.Groups;

public sealed class SenderKeyCipherTests
{
    private static readonly byte[] s_messageKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 3))];
    private static readonly byte[] s_header = [.. Enumerable.Range(0, 32).Select(i => (byte)(200 - i))];

    [Fact]
    public void Encrypt_MatchesIndependentHkdfAndChaCha20Poly1305()
    {
        byte[] plaintext = "status"u8.ToArray();
        byte[] ciphertext = new byte[64 + 16];
        SenderKeyCipher.Encrypt(s_messageKey, s_header, plaintext, ciphertext);

        byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, s_messageKey, 44, new byte[32], "E2eChat/v1/sender-key/message"u8.ToArray());
        byte[] expected = new byte[80];
        using (var aead = new ChaCha20Poly1305(okm[..32]))
        {
            aead.Encrypt(okm.AsSpan(32), SpecSenderKey.Pad(plaintext), expected.AsSpan(0, 64), expected.AsSpan(64), s_header);
        }

        Assert.Equal(expected, ciphertext);
    }

    [Fact]
    public void TryDecrypt_RoundTripAndFailures()
    {
        byte[] ciphertext = new byte[128 + 16];
        SenderKeyCipher.Encrypt(s_messageKey, s_header, new byte[100], ciphertext);
        byte[] padded = new byte[128];
        Assert.Equal(E2eChatFailure.None, SenderKeyCipher.TryDecrypt(s_messageKey, s_header, ciphertext, padded, out int length));
        Assert.Equal(100, length);

        byte[] otherHeader = (byte[])s_header.Clone();
        otherHeader[0] ^= 1;
        Assert.Equal(E2eChatFailure.InvalidCiphertext, SenderKeyCipher.TryDecrypt(s_messageKey, otherHeader, ciphertext, padded, out _));
        Assert.All(padded, b => Assert.Equal(0, b));
    }
}
