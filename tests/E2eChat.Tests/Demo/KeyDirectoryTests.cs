using E2eChat.Demo;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Demo;

public sealed class KeyDirectoryTests
{
    [Fact]
    public void TakeBundle_EachBundle_IsHandedOutOnce()
    {
        var directory = new KeyDirectory();
        var agent = new ProtocolAddress("acme-shoes", 2);
        directory.Publish(agent, AccountKind.Business, "Priya", [1, 2, 3]);
        directory.Publish(agent, AccountKind.Business, "Priya", [4, 5]);

        Assert.Equal([1, 2, 3], directory.TakeBundle(agent));
        Assert.Equal([4, 5], directory.TakeBundle(agent));
        Assert.Null(directory.TakeBundle(agent));
        Assert.Null(directory.TakeBundle(new ProtocolAddress("nobody", 1)));
    }

    [Fact]
    public void Devices_SeveralAccounts_ListsOnlyThatAccountByDeviceId()
    {
        var directory = new KeyDirectory();
        directory.Publish(new ProtocolAddress("acme-shoes", 2), AccountKind.Business, "Priya", [1]);
        directory.Publish(new ProtocolAddress("alice", 1), AccountKind.Person, "Alice", [2]);
        directory.Publish(new ProtocolAddress("acme-shoes", 1), AccountKind.Business, "Sam", [3]);

        Assert.Equal([new ProtocolAddress("acme-shoes", 1), new ProtocolAddress("acme-shoes", 2)], directory.Devices("acme-shoes"));
        Assert.Equal(AccountKind.Business, directory.KindOf("acme-shoes"));
        Assert.Equal(AccountKind.Person, directory.KindOf("alice"));
        Assert.Equal(AccountKind.Unspecified, directory.KindOf("nobody"));
        Assert.Equal("Sam", directory.DisplayName(new ProtocolAddress("acme-shoes", 1)));
        Assert.Equal("nobody.3", directory.DisplayName(new ProtocolAddress("nobody", 3)));
    }
}
