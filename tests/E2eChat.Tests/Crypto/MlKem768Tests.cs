using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class MlKem768Tests
{
    [Fact]
    public void TryDecapsulate_AfterTryEncapsulate_GivesSameSecret()
    {
        (byte[] publicKey, byte[] secretKey) = NewKeyPair(1);
        byte[] ciphertext = new byte[MlKem768.CiphertextLength];
        byte[] sent = new byte[MlKem768.SharedSecretLength];
        byte[] received = new byte[MlKem768.SharedSecretLength];

        Assert.True(MlKem768.TryEncapsulate(publicKey, ciphertext, sent));
        Assert.True(MlKem768.TryDecapsulate(secretKey, ciphertext, received));

        Assert.Equal(sent, received);
    }

    [Fact]
    public void TryDecapsulate_TamperedCiphertext_GivesDifferentSecret()
    {
        (byte[] publicKey, byte[] secretKey) = NewKeyPair(2);
        byte[] ciphertext = new byte[MlKem768.CiphertextLength];
        byte[] sent = new byte[MlKem768.SharedSecretLength];
        byte[] received = new byte[MlKem768.SharedSecretLength];
        Assert.True(MlKem768.TryEncapsulateDeterministic(publicKey, new byte[MlKem768.EncapsulationSeedLength], ciphertext, sent));

        ciphertext[500] ^= 0x10;

        Assert.True(MlKem768.TryDecapsulate(secretKey, ciphertext, received)); // implicit rejection
        Assert.NotEqual(sent, received);
    }

    [Fact]
    public void TryDecapsulate_WrongCiphertextLength_ReturnsFalse()
    {
        (_, byte[] secretKey) = NewKeyPair(3);

        Assert.False(MlKem768.TryDecapsulate(secretKey, new byte[MlKem768.CiphertextLength - 1], new byte[32]));
        Assert.False(MlKem768.TryDecapsulate(secretKey, [], new byte[32]));
    }

    [Fact]
    public void TryEncapsulate_CoefficientNotReduced_ReturnsFalse()
    {
        (byte[] publicKey, _) = NewKeyPair(4);
        publicKey[0] = 0xff;
        publicKey[1] |= 0x0f; // first 12-bit coefficient = 4095 >= q

        Assert.False(MlKem768.IsValidPublicKey(publicKey));
        Assert.False(MlKem768.TryEncapsulate(publicKey, new byte[MlKem768.CiphertextLength], new byte[32]));
    }

    [Fact]
    public void GenerateKeyPair_WrongSeedLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => MlKem768.GenerateKeyPair(new byte[32], new byte[MlKem768.PublicKeyLength], new byte[MlKem768.SecretKeyLength]));
    }

    private static (byte[] PublicKey, byte[] SecretKey) NewKeyPair(byte seedByte)
    {
        byte[] seed = new byte[32];
        seed.AsSpan().Fill(seedByte);
        using var random = new DeterministicRandomSource(seed);
        byte[] publicKey = new byte[MlKem768.PublicKeyLength];
        byte[] secretKey = new byte[MlKem768.SecretKeyLength];
        MlKem768.GenerateKeyPair(random, publicKey, secretKey);
        return (publicKey, secretKey);
    }
}
