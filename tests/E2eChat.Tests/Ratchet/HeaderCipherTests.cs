using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class HeaderCipherTests
{
    private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();

    [Fact]
    public void Encrypt_Header_Is80BytesNonceFirst()
    {
        byte[] header = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        byte[] encrypted = new byte[HeaderCipher.EncryptedLength];
        using var random = new DeterministicRandomSource(new byte[32]);
        HeaderCipher.Encrypt(s_key, header, random, encrypted);
        Assert.Equal(80, encrypted.Length);

        // The spec's construction, computed directly: XChaCha20-Poly1305(HK, nonce, header, aad = empty).
        byte[] expected = new byte[56];
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, s_key, encrypted.AsSpan(0, 24), header, [], expected);
        Assert.Equal(expected, encrypted[24..]);
    }

    [Fact]
    public void TryDecrypt_RightKey_RoundTrips()
    {
        byte[] header = Enumerable.Range(0, 40).Select(i => (byte)(255 - i)).ToArray();
        byte[] encrypted = new byte[80];
        HeaderCipher.Encrypt(s_key, header, RandomSource.System, encrypted);
        byte[] decrypted = new byte[40];
        Assert.True(HeaderCipher.TryDecrypt(s_key, encrypted, decrypted));
        Assert.Equal(header, decrypted);
    }

    [Fact]
    public void TryDecrypt_WrongKey_FailsAndZeroes()
    {
        byte[] encrypted = new byte[80];
        HeaderCipher.Encrypt(s_key, new byte[40], RandomSource.System, encrypted);
        byte[] other = (byte[])s_key.Clone();
        other[0] ^= 1;
        byte[] decrypted = Enumerable.Repeat((byte)0xAA, 40).ToArray();
        Assert.False(HeaderCipher.TryDecrypt(other, encrypted, decrypted));
        Assert.All(decrypted, b => Assert.Equal(0, b));
    }

    [Fact]
    public void TryDecrypt_AnyByteFlipped_Fails()
    {
        byte[] encrypted = new byte[80];
        HeaderCipher.Encrypt(s_key, new byte[40], RandomSource.System, encrypted);
        byte[] decrypted = new byte[40];
        for (int i = 0; i < encrypted.Length; i++)
        {
            encrypted[i] ^= 0x01;
            Assert.False(HeaderCipher.TryDecrypt(s_key, encrypted, decrypted));
            encrypted[i] ^= 0x01;
        }

        Assert.True(HeaderCipher.TryDecrypt(s_key, encrypted, decrypted));
    }

    [Fact]
    public void TryDecrypt_WrongLength_Fails()
    {
        Assert.False(HeaderCipher.TryDecrypt(s_key, new byte[79], new byte[40]));
        Assert.False(HeaderCipher.TryDecrypt(s_key, new byte[81], new byte[40]));
    }

    [Fact]
    public void Encrypt_TwoCalls_UseFreshNonces()
    {
        byte[] a = new byte[80];
        byte[] b = new byte[80];
        HeaderCipher.Encrypt(s_key, new byte[40], RandomSource.System, a);
        HeaderCipher.Encrypt(s_key, new byte[40], RandomSource.System, b);
        Assert.NotEqual(a[..24], b[..24]);
    }
}
