
namespace E2eChat.Tests.Accounts;

public sealed class DeviceListRulesTests
{
    private static SignedDeviceList Read(SignedDeviceList list)
    {
        Assert.True(SignedDeviceList.TryRead(list.AsSpan(), out SignedDeviceList? read, out _));
        return read;
    }

    [Fact]
    public void Check_OlderVersion_VersionRollback()
    {
        using var key = AccountKeyPair.Generate();
        SignedDeviceList v1 = Read(SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2)));
        SignedDeviceList v2 = Read(SignedDeviceList.Sign(key, DeviceListFixture.Shop(2, 1)));

        Assert.Equal(E2eChatFailure.VersionRollback, DeviceListRules.Check("acme-shoes", v2, v1, out _, out _));
    }

    [Fact]
    public void Check_NewerVersion_AddedAndRemoved()
    {
        using var key = AccountKeyPair.Generate();
        SignedDeviceList v1 = Read(SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2)));
        SignedDeviceList v2 = Read(SignedDeviceList.Sign(key, DeviceListFixture.Shop(2, 1, 3)));

        Assert.Equal(E2eChatFailure.None, DeviceListRules.Check("acme-shoes", v1, v2, out var added, out var removed));
        Assert.Equal([3u], added.Select(d => d.Device));
        Assert.Equal([2u], removed.Select(d => d.Device));
    }

    [Fact]
    public void Check_OtherAccountKey_AccountKeyMismatch()
    {
        using var key = AccountKeyPair.Generate();
        using var directoryKey = AccountKeyPair.Generate();
        SignedDeviceList v1 = Read(SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1)));
        SignedDeviceList swapped = Read(SignedDeviceList.Sign(directoryKey, DeviceListFixture.Shop(9, 1, 6)));

        Assert.Equal(E2eChatFailure.AccountKeyMismatch, DeviceListRules.Check("acme-shoes", v1, swapped, out _, out _));
        Assert.Equal(E2eChatFailure.WrongAccount, DeviceListRules.Check("other-shop", null, swapped, out _, out _));
    }
}
