using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class HmacSha256Tests
{
    private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] s_message = "chain key step"u8.ToArray();

    [Fact]
    public void Compute_AnyMessage_MatchesDotNetHmac()
    {
        byte[] tag = new byte[HmacSha256.TagLength];

        HmacSha256.Compute(s_key, s_message, tag);

        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(s_key, s_message), tag);
    }

    [Fact]
    public void Compute_TagOverlapsKey_GivesSameTag()
    {
        byte[] buffer = (byte[])s_key.Clone();

        HmacSha256.Compute(buffer, s_message, buffer);

        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(s_key, s_message), buffer);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(16, true)]
    [InlineData(20, true)]
    [InlineData(15, false)]
    [InlineData(0, false)]
    public void Verify_TruncatedCorrectTag_AcceptsOnlyFromMinimumLength(int length, bool expected)
    {
        byte[] tag = new byte[HmacSha256.TagLength];
        HmacSha256.Compute(s_key, s_message, tag);

        Assert.Equal(expected, HmacSha256.Verify(s_key, s_message, tag.AsSpan(0, length)));
    }

    [Fact]
    public void Verify_ModifiedTagOrOverLongTag_ReturnsFalse()
    {
        byte[] tag = new byte[HmacSha256.TagLength];
        HmacSha256.Compute(s_key, s_message, tag);
        byte[] modified = (byte[])tag.Clone();
        modified[31] ^= 0x80;

        Assert.False(HmacSha256.Verify(s_key, s_message, modified));
        Assert.False(HmacSha256.Verify(s_key, s_message, [.. tag, 0]));
    }

    [Fact]
    public void Compute_WrongKeyLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => HmacSha256.Compute(new byte[16], s_message, new byte[32]));
    }
}
