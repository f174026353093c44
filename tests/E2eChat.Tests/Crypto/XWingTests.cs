using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class XWingTests
{
    [Fact]
    public void TryDecapsulate_AfterTryEncapsulate_GivesSameSecret()
    {
        (byte[] publicKey, byte[] secretKey) = NewKeyPair(1);
        byte[] ciphertext = new byte[XWing.CiphertextLength];
        byte[] sent = new byte[XWing.SharedSecretLength];
        byte[] received = new byte[XWing.SharedSecretLength];

        Assert.True(XWing.TryEncapsulate(publicKey, ciphertext, sent));
        Assert.True(XWing.TryDecapsulate(secretKey, ciphertext, received));

        Assert.Equal(sent, received);
        Assert.NotEqual(new byte[XWing.SharedSecretLength], sent);
    }

    [Fact]
    public void GenerateKeyPair_SameSeed_GivesSameKeys()
    {
        (byte[] publicA, byte[] secretA) = NewKeyPair(2);
        (byte[] publicB, byte[] secretB) = NewKeyPair(2);
        (byte[] publicC, _) = NewKeyPair(3);

        Assert.Equal(publicA, publicB);
        Assert.Equal(secretA, secretB);
        Assert.NotEqual(publicA, publicC);
        Assert.True(XWing.IsValidPublicKey(publicA));
    }

    [Fact]
    public void TryEncapsulateDeterministic_SameSeed_IsReproducibleAndDecapsulates()
    {
        (byte[] publicKey, byte[] secretKey) = NewKeyPair(4);
        byte[] seed = Fill(5, XWing.EncapsulationSeedLength);
        byte[] ciphertextA = new byte[XWing.CiphertextLength], secretA = new byte[XWing.SharedSecretLength];
        byte[] ciphertextB = new byte[XWing.CiphertextLength], secretB = new byte[XWing.SharedSecretLength];
        byte[] received = new byte[XWing.SharedSecretLength];

        Assert.True(XWing.TryEncapsulateDeterministic(publicKey, seed, ciphertextA, secretA));
        Assert.True(XWing.TryEncapsulateDeterministic(publicKey, seed, ciphertextB, secretB));
        Assert.True(XWing.TryDecapsulate(secretKey, ciphertextA, received));

        Assert.Equal(ciphertextA, ciphertextB);
        Assert.Equal(secretA, secretB);
        Assert.Equal(secretA, received);
    }

    [Theory]
    [InlineData(0)] // inside the ML-KEM-768 ciphertext: implicit rejection
    [InlineData(1087)]
    [InlineData(1100)] // inside the X25519 ephemeral key
    public void TryDecapsulate_TamperedCiphertext_GivesDifferentSecret(int position)
    {
        (byte[] publicKey, byte[] secretKey) = NewKeyPair(6);
        byte[] ciphertext = new byte[XWing.CiphertextLength];
        byte[] sent = new byte[XWing.SharedSecretLength];
        byte[] received = new byte[XWing.SharedSecretLength];
        Assert.True(XWing.TryEncapsulateDeterministic(publicKey, Fill(7, XWing.EncapsulationSeedLength), ciphertext, sent));

        ciphertext[position] ^= 0x01;
        bool decapsulated = XWing.TryDecapsulate(secretKey, ciphertext, received);

        Assert.True(decapsulated);
        Assert.NotEqual(sent, received);
    }

    [Fact]
    public void TryDecapsulate_WrongCiphertextLength_ReturnsFalse()
    {
        (_, byte[] secretKey) = NewKeyPair(8);
        byte[] received = new byte[XWing.SharedSecretLength];

        Assert.False(XWing.TryDecapsulate(secretKey, new byte[XWing.CiphertextLength - 1], received));
        Assert.False(XWing.TryDecapsulate(secretKey, new byte[XWing.CiphertextLength + 1], received));
    }

    [Fact]
    public void TryEncapsulate_LowOrderX25519Part_ReturnsFalse()
    {
        (byte[] publicKey, _) = NewKeyPair(9);
        publicKey.AsSpan(MlKem768.PublicKeyLength).Clear(); // u = 0, a point of small order
        byte[] ciphertext = new byte[XWing.CiphertextLength];
        byte[] sharedSecret = new byte[XWing.SharedSecretLength];

        Assert.False(XWing.IsValidPublicKey(publicKey));
        Assert.False(XWing.TryEncapsulate(publicKey, ciphertext, sharedSecret));
    }

    private static (byte[] PublicKey, byte[] SecretKey) NewKeyPair(byte seedByte)
    {
        byte[] publicKey = new byte[XWing.PublicKeyLength];
        byte[] secretKey = new byte[XWing.SecretKeyLength];
        XWing.GenerateKeyPair(Fill(seedByte, XWing.SeedLength), publicKey, secretKey);
        return (publicKey, secretKey);
    }

    private static byte[] Fill(byte seedByte, int length)
    {
        byte[] seed = new byte[32];
        seed.AsSpan().Fill(seedByte);
        using var random = new DeterministicRandomSource(seed);
        byte[] output = new byte[length];
        random.Fill(output);
        return output;
    }
}
