using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Groups;

public sealed class DistributionIdTests
{
    private static readonly byte[] s_bytes = [.. Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i))];

    [Fact]
    public void Constructor_Bytes_RoundTrip()
    {
        var id = new DistributionId(s_bytes);
        Assert.Equal(s_bytes, id.ToArray());
        byte[] destination = new byte[20];
        id.CopyTo(destination);
        Assert.Equal(s_bytes, destination[..16]);
        Assert.True(id.Matches(s_bytes));
        Assert.False(id.Matches(s_bytes.AsSpan(1)));
        Assert.False(id.Matches([.. s_bytes[..15], 0]));
    }

    [Fact]
    public void Constructor_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DistributionId(new byte[15]));
        Assert.Throws<ArgumentException>(() => new DistributionId(new byte[17]));
        Assert.Throws<ArgumentException>(() => new DistributionId(s_bytes).CopyTo(new byte[15]));
    }

    [Fact]
    public void Equality_ByBytes()
    {
        var a = new DistributionId(s_bytes);
        var b = new DistributionId((byte[])s_bytes.Clone());
        var c = new DistributionId([.. s_bytes[..15], 0]);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(default, a);
    }

    [Fact]
    public void ToString_Hex()
    {
        Assert.Equal("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", new DistributionId(s_bytes).ToString());
        Assert.Equal(new string('0', 32), default(DistributionId).ToString());
    }

    [Fact]
    public void Create_DrawsSixteenBytes()
    {
        using var random = TestRandom.FromSeed(3);
        using var same = TestRandom.FromSeed(3);
        byte[] expected = new byte[16];
        same.Fill(expected);
        Assert.Equal(expected, DistributionId.Create(random).ToArray());
    }
}
