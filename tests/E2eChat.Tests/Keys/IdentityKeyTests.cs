using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Keys;

public sealed class IdentityKeyTests
{
    private static byte[] ValidBytes(ulong seed = 7)
    {
        using DeterministicRandomSource random = TestRandom.FromSeed(seed);
        using var pair = IdentityKeyPair.Generate(random);
        return pair.PublicKey.ToBytes();
    }

    [Fact]
    public void TryParse_Valid_ReturnsIdentityWithSameBytes()
    {
        byte[] bytes = ValidBytes();
        Assert.True(IdentityKey.TryParse(bytes, out IdentityKey? identity, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(bytes, identity.ToBytes());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(129)]
    public void TryParse_WrongLength_InvalidLength(int length)
    {
        byte[] bytes = new byte[length];
        ValidBytes().AsSpan(0, Math.Min(length, IdentityKey.Length)).CopyTo(bytes);
        Assert.False(IdentityKey.TryParse(bytes, out IdentityKey? identity, out E2eChatFailure failure));
        Assert.Null(identity);
        Assert.Equal(E2eChatFailure.InvalidLength, failure);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    public void TryParse_LowOrderOrNonCanonicalAgreementKey_InvalidAgreementKey(string agreementKeyHex)
    {
        byte[] bytes = ValidBytes();
        Convert.FromHexString(agreementKeyHex).CopyTo(bytes, 32);
        Assert.False(IdentityKey.TryParse(bytes, out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.InvalidAgreementKey, failure);
    }

    [Fact]
    public void TryParse_TopBitOfAgreementKeySet_InvalidAgreementKey()
    {
        byte[] bytes = ValidBytes();
        bytes[63] |= 0x80;
        Assert.False(IdentityKey.TryParse(bytes, out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.InvalidAgreementKey, failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(127)]
    public void TryParse_FlippedBit_BadSignature(int index)
    {
        byte[] bytes = ValidBytes();
        bytes[index] ^= 0x01;
        Assert.False(IdentityKey.TryParse(bytes, out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.BadSignature, failure);
    }

    [Fact]
    public void TryParse_AgreementKeyOfAnotherIdentity_BadSignature()
    {
        byte[] bytes = ValidBytes(1);
        ValidBytes(2).AsSpan(32, 32).CopyTo(bytes.AsSpan(32));
        Assert.False(IdentityKey.TryParse(bytes, out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.BadSignature, failure);
    }

    [Fact]
    public void Parse_Invalid_ThrowsE2eChatExceptionWithReason()
    {
        var exception = Assert.Throws<E2eChatException>(() => IdentityKey.Parse(new byte[3]));
        Assert.True(exception.Failure == E2eChatFailure.InvalidLength);
    }

    [Fact]
    public void Equals_SameBytes_EqualWithSameHashCode()
    {
        var first = IdentityKey.Parse(ValidBytes());
        var second = IdentityKey.Parse(ValidBytes());
        Assert.True(first == second);
        Assert.False(first != second);
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentIdentities_NotEqual()
    {
        var first = IdentityKey.Parse(ValidBytes(1));
        var second = IdentityKey.Parse(ValidBytes(2));
        Assert.False(first == second);
        Assert.True(first != second);
        Assert.False(first.Equals(null));
    }

    [Fact]
    public void ToBytes_MutatingCopy_LeavesIdentityUnchanged()
    {
        byte[] bytes = ValidBytes();
        var identity = IdentityKey.Parse(bytes);
        byte[] copy = identity.ToBytes();
        copy[0] ^= 0xFF;
        Assert.Equal(bytes, identity.ToBytes());
    }
}
