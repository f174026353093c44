
namespace E2eChat.Tests.Groups;

public sealed class SenderKeyNameTests
{
    [Fact]
    public void Equality_BySenderAndDistribution()
    {
        var id = new DistributionId(new byte[16]);
        var a = new SenderKeyName(new ProtocolAddress("alice", 1), id);
        Assert.Equal(a, new SenderKeyName(new ProtocolAddress("alice", 1), id));
        Assert.NotEqual(a, new SenderKeyName(new ProtocolAddress("alice", 2), id));
        Assert.NotEqual(a, new SenderKeyName(new ProtocolAddress("alice", 1), new DistributionId([.. new byte[15], 1])));
    }

    [Fact]
    public void ToString_AddressAndHexId()
    {
        var name = new SenderKeyName(new ProtocolAddress("shop", 3), new DistributionId([.. new byte[15], 0xAB]));
        Assert.Equal("shop.3/" + new string('0', 30) + "ab", name.ToString());
    }
}
