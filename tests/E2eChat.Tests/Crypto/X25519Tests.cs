using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class X25519Tests
{
    // RFC 7748, section 6.1.
    private static readonly byte[] s_alicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static readonly byte[] s_alicePublic = Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static readonly byte[] s_bobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static readonly byte[] s_bobPublic = Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static readonly byte[] s_shared = Convert.FromHexString("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    [Fact]
    public void DerivePublicKey_Rfc7748Keys_GivePublishedPublicKeys()
    {
        byte[] alice = new byte[X25519.KeyLength];
        byte[] bob = new byte[X25519.KeyLength];

        X25519.DerivePublicKey(s_alicePrivate, alice);
        X25519.DerivePublicKey(s_bobPrivate, bob);

        Assert.Equal(s_alicePublic, alice);
        Assert.Equal(s_bobPublic, bob);
    }

    [Fact]
    public void Agree_Rfc7748BothWays_GivesPublishedSecret()
    {
        byte[] aliceSide = new byte[X25519.KeyLength];
        byte[] bobSide = new byte[X25519.KeyLength];

        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(s_alicePrivate, s_bobPublic, aliceSide));
        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(s_bobPrivate, s_alicePublic, bobSide));

        Assert.Equal(s_shared, aliceSide);
        Assert.Equal(s_shared, bobSide);
    }

    [Fact]
    public void Agree_GeneratedKeyPairs_AgreeBothWays()
    {
        byte[] privateA = new byte[32], publicA = new byte[32], privateB = new byte[32], publicB = new byte[32];
        X25519.GenerateKeyPair(privateA, publicA);
        X25519.GenerateKeyPair(privateB, publicB);
        byte[] ab = new byte[32], ba = new byte[32];

        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(privateA, publicB, ab));
        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(privateB, publicA, ba));

        Assert.Equal(ab, ba);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", nameof(KeyAgreementFailure.LowOrderPublicKey))]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000", nameof(KeyAgreementFailure.LowOrderPublicKey))]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", nameof(KeyAgreementFailure.LowOrderPublicKey))]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", nameof(KeyAgreementFailure.NonCanonicalPublicKey))] // p
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", nameof(KeyAgreementFailure.NonCanonicalPublicKey))] // p + 1
    [InlineData("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4eea", nameof(KeyAgreementFailure.NonCanonicalPublicKey))] // top bit set
    public void ValidatePublicKey_SpecialEncodings_AreRefused(string hex, string expected)
    {
        Assert.Equal(Enum.Parse<KeyAgreementFailure>(expected), X25519.ValidatePublicKey(Convert.FromHexString(hex)));
    }

    [Fact]
    public void ValidatePublicKey_WrongLength_IsInvalidLength()
    {
        Assert.Equal(KeyAgreementFailure.InvalidLength, X25519.ValidatePublicKey(new byte[31]));
        Assert.Equal(KeyAgreementFailure.InvalidLength, X25519.ValidatePublicKey(new byte[33]));
    }

    [Fact]
    public void Agree_RefusedKey_ZeroesOutput()
    {
        byte[] shared = Enumerable.Repeat((byte)0xaa, 32).ToArray();

        KeyAgreementFailure failure = X25519.Agree(s_alicePrivate, new byte[32], shared);

        Assert.Equal(KeyAgreementFailure.LowOrderPublicKey, failure);
        Assert.Equal(new byte[32], shared);
    }

    [Fact]
    public void Agree_WrongPrivateKeyLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => X25519.Agree(new byte[31], s_bobPublic, new byte[32]));
    }
}
