using E2eChat.Wire;

namespace E2eChat.Tests.Accounts;

public sealed class SignedDeviceListTests
{
    [Fact]
    public void TryRead_SignedList_GivesTheListBack()
    {
        using var key = AccountKeyPair.Generate();
        DeviceList list = new("acme-shoes", AccountKind.Business, 3, DeviceListFixture.IssuedAt, [
            new DeviceEntry(2, DeviceListFixture.Identity(2), "Returns bot", DeviceRole.Automation),
            new DeviceEntry(1, DeviceListFixture.Identity(1), "Sam", DeviceRole.Agent),
            new DeviceEntry(9, DeviceListFixture.Identity(3), "Night shift", DeviceRole.Hosted, "Helpdesk Hosting GmbH"),
        ]);

        SignedDeviceList signed = SignedDeviceList.Sign(key, list);

        Assert.True(SignedDeviceList.TryRead(signed.AsSpan(), out SignedDeviceList? read, out E2eChatFailure failure), failure.ToString());
        Assert.Equal(key.PublicKey, read.AccountKey);
        Assert.Equal("acme-shoes", read.List.Account);
        Assert.Equal(3UL, read.List.Version);
        Assert.Equal([1u, 2u, 9u], read.List.Devices.Select(d => d.Device));
        Assert.Equal("Helpdesk Hosting GmbH", read.List.Find(9)!.Processor);
        Assert.Equal(DeviceListFixture.Identity(2), read.List.Find(2)!.Identity);
        Assert.Equal(signed.ToBytes(), read.ToBytes());
    }

    [Fact]
    public void TryRead_AnyOneByteChanged_FailsTyped()
    {
        using var key = AccountKeyPair.Generate();
        byte[] bytes = SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2)).ToBytes();

        for (int i = 0; i < bytes.Length; i++)
        {
            foreach (byte flip in new byte[] { 0x01, 0x80 })
            {
                byte[] changed = (byte[])bytes.Clone();
                changed[i] ^= flip;

                Assert.False(SignedDeviceList.TryRead(changed, out SignedDeviceList? read, out E2eChatFailure failure), $"byte {i} ^ {flip:x2}");
                Assert.Null(read);
                Assert.NotEqual(E2eChatFailure.None, failure);
            }
        }
    }

    [Fact]
    public void TryRead_Truncated_EveryPrefixFailsTyped()
    {
        using var key = AccountKeyPair.Generate();
        byte[] bytes = SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1)).ToBytes();

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(SignedDeviceList.TryRead(bytes.AsSpan(0, length), out _, out E2eChatFailure failure));
            Assert.NotEqual(E2eChatFailure.None, failure);
        }
    }

    [Fact]
    public void DeviceEntry_HostedWithoutProcessor_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DeviceEntry(1, DeviceListFixture.Identity(1), "Night", DeviceRole.Hosted));
        Assert.Throws<ArgumentException>(() => new DeviceEntry(1, DeviceListFixture.Identity(1), "Sam", DeviceRole.Agent, "Someone"));
        Assert.Throws<ArgumentException>(() => new DeviceEntry(1, DeviceListFixture.Identity(1), new string('a', 65), DeviceRole.Agent));
        Assert.Throws<ArgumentException>(() => new DeviceEntry(1, DeviceListFixture.Identity(1), "\ud800", DeviceRole.Agent));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceEntry(256, DeviceListFixture.Identity(1), "Sam", DeviceRole.Agent));
    }

    [Fact]
    public void DeviceList_DuplicateDevice_Throws()
    {
        Assert.Throws<ArgumentException>(() => DeviceListFixture.Shop(1, 2, 2));
        Assert.Throws<ArgumentException>(() => DeviceListFixture.Shop(1));
        Assert.Throws<ArgumentException>(() => DeviceListFixture.Shop(1, [.. Enumerable.Range(1, 65).Select(i => (uint)i)]));
    }

    [Fact]
    public void BusinessInfo_HostedDevices_ReportsEveryProcessorOnce()
    {
        DeviceList list = new("acme-shoes", AccountKind.Business, 1, DeviceListFixture.IssuedAt, [
            new DeviceEntry(1, DeviceListFixture.Identity(1), "Sam", DeviceRole.Agent),
            new DeviceEntry(2, DeviceListFixture.Identity(2), "Night", DeviceRole.Hosted, "Helpdesk Hosting GmbH"),
            new DeviceEntry(3, DeviceListFixture.Identity(3), "Weekend", DeviceRole.Hosted, "Helpdesk Hosting GmbH"),
        ]);

        BusinessInfo info = BusinessInfo.From(list);

        Assert.Equal(EndToEnd.ToProcessor, info.EndToEnd);
        Assert.Equal(["Helpdesk Hosting GmbH"], info.Processors);
        Assert.Contains("Helpdesk Hosting GmbH", info.ToString(), StringComparison.Ordinal);
        Assert.Equal(EndToEnd.ToBusiness, BusinessInfo.From(DeviceListFixture.Shop(1, 1)).EndToEnd);
    }
}
