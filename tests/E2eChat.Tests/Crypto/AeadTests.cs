using E2eChat.Crypto;
using FsCheck.Xunit;

namespace E2eChat.Tests.Crypto;

public sealed class AeadTests
{
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(nameof(AeadAlgorithm.ChaCha20Poly1305))]
    [InlineData(nameof(AeadAlgorithm.XChaCha20Poly1305))]
    public void TryDecrypt_AfterEncrypt_ReturnsPlaintext(string algorithmName)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(algorithmName);
        byte[] nonce = new byte[Aead.NonceLength(algorithm)];
        byte[] plaintext = "hello, business"u8.ToArray();
        byte[] ad = "header"u8.ToArray();
        byte[] ciphertext = new byte[plaintext.Length + Aead.TagLength];
        byte[] decrypted = new byte[plaintext.Length];

        Aead.Encrypt(algorithm, s_key, nonce, plaintext, ad, ciphertext);

        Assert.True(Aead.TryDecrypt(algorithm, s_key, nonce, ciphertext, ad, decrypted));
        Assert.Equal(plaintext, decrypted);
    }

    [Property(MaxTest = 50)]
    public bool TryDecrypt_AnyPlaintextAndAssociatedData_RoundTrips(byte[]? plaintext, byte[]? associatedData, bool extended)
    {
        plaintext ??= [];
        associatedData ??= [];
        AeadAlgorithm algorithm = extended ? AeadAlgorithm.XChaCha20Poly1305 : AeadAlgorithm.ChaCha20Poly1305;
        byte[] nonce = new byte[Aead.NonceLength(algorithm)];
        byte[] ciphertext = new byte[plaintext.Length + Aead.TagLength];
        byte[] decrypted = new byte[plaintext.Length];

        Aead.Encrypt(algorithm, s_key, nonce, plaintext, associatedData, ciphertext);

        return Aead.TryDecrypt(algorithm, s_key, nonce, ciphertext, associatedData, decrypted) && decrypted.AsSpan().SequenceEqual(plaintext);
    }

    [Fact]
    public void Encrypt_InPlace_MatchesSeparateBuffers()
    {
        byte[] nonce = new byte[Aead.ChaChaNonceLength];
        byte[] plaintext = "in place"u8.ToArray();
        byte[] separate = new byte[plaintext.Length + Aead.TagLength];
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, s_key, nonce, plaintext, [], separate);

        byte[] buffer = new byte[plaintext.Length + Aead.TagLength];
        plaintext.CopyTo(buffer, 0);
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, s_key, nonce, buffer.AsSpan(0, plaintext.Length), [], buffer);

        Assert.Equal(separate, buffer);
    }

    [Theory]
    [InlineData(nameof(AeadAlgorithm.ChaCha20Poly1305))]
    [InlineData(nameof(AeadAlgorithm.XChaCha20Poly1305))]
    public void TryDecrypt_TamperedCiphertextOrAssociatedData_ReturnsFalseAndZeroesPlaintext(string algorithmName)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(algorithmName);
        byte[] nonce = new byte[Aead.NonceLength(algorithm)];
        byte[] plaintext = "secret"u8.ToArray();
        byte[] ciphertext = new byte[plaintext.Length + Aead.TagLength];
        Aead.Encrypt(algorithm, s_key, nonce, plaintext, "ad"u8, ciphertext);
        byte[] decrypted = Enumerable.Repeat((byte)0xaa, plaintext.Length).ToArray();

        Assert.False(Aead.TryDecrypt(algorithm, s_key, nonce, ciphertext, "AD"u8, decrypted));
        Assert.Equal(new byte[plaintext.Length], decrypted);

        ciphertext[0] ^= 1;
        Assert.False(Aead.TryDecrypt(algorithm, s_key, nonce, ciphertext, "ad"u8, decrypted));
    }

    [Theory]
    [InlineData(nameof(AeadAlgorithm.ChaCha20Poly1305), 0)]
    [InlineData(nameof(AeadAlgorithm.ChaCha20Poly1305), 24)]
    [InlineData(nameof(AeadAlgorithm.XChaCha20Poly1305), 12)]
    [InlineData(nameof(AeadAlgorithm.XChaCha20Poly1305), 25)]
    public void TryDecrypt_WrongNonceLength_ReturnsFalseWithoutThrowing(string algorithmName, int nonceLength)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(algorithmName);
        Assert.False(Aead.TryDecrypt(algorithm, s_key, new byte[nonceLength], new byte[20], [], new byte[4]));
    }

    [Fact]
    public void TryDecrypt_ShorterThanTag_ReturnsFalse()
    {
        Assert.False(Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, s_key, new byte[12], new byte[15], [], []));
    }

    [Fact]
    public void Encrypt_WrongNonceLengthOrPartialOverlap_Throws()
    {
        byte[] buffer = new byte[40];

        Assert.Throws<ArgumentException>(() => Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, s_key, new byte[24], new byte[4], [], new byte[20]));
        Assert.Throws<ArgumentException>(() => Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, s_key, new byte[12], buffer.AsSpan(1, 8), [], buffer.AsSpan(0, 24)));
    }
}
