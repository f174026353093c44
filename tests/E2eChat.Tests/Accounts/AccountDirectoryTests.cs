
namespace E2eChat.Tests.Accounts;

public sealed class AccountDirectoryTests
{
    private static (AccountDirectory Directory, InMemoryAccountStore Accounts, IIdentityStore Identities) Create()
    {
        var accounts = new InMemoryAccountStore();
        IIdentityStore identities = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate()).Identities;
        return (new AccountDirectory(accounts, identities), accounts, identities);
    }

    [Fact]
    public async Task ApplyAsync_FirstList_PinsKeyAndTrustsListedIdentities()
    {
        (AccountDirectory directory, _, IIdentityStore identities) = Create();
        using var key = AccountKeyPair.Generate();
        SignedDeviceList list = SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2));

        DeviceListUpdate update = await directory.ApplyAsync("acme-shoes", list.ToBytes());

        Assert.True(update.IsSuccess);
        Assert.Equal([1u, 2u], update.Added.Select(d => d.Device));
        Assert.Equal(DeviceListFixture.Identity(2), await identities.GetIdentityAsync(new ProtocolAddress("acme-shoes", 2)));
        Assert.Equal(key.PublicKey, (await directory.GetDeviceListAsync("acme-shoes"))!.AccountKey);
    }

    [Fact]
    public async Task ApplyAsync_DirectorySwapsAccountKey_AccountKeyMismatchAndNothingChanges()
    {
        (AccountDirectory directory, _, IIdentityStore identities) = Create();
        using var key = AccountKeyPair.Generate();
        using var attacker = AccountKeyPair.Generate();
        await directory.ApplyAsync("acme-shoes", SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1)).ToBytes());

        DeviceListUpdate update = await directory.ApplyAsync("acme-shoes", SignedDeviceList.Sign(attacker, DeviceListFixture.Shop(7, 5)).ToBytes());

        Assert.Equal(E2eChatFailure.AccountKeyMismatch, update.Failure);
        Assert.Equal(key.PublicKey, (await directory.GetDeviceListAsync("acme-shoes"))!.AccountKey);
        Assert.Null(await identities.GetIdentityAsync(new ProtocolAddress("acme-shoes", 5)));
    }

    [Fact]
    public async Task ApproveAccountKeyAsync_AfterMismatch_PinsTheNewKey()
    {
        (AccountDirectory directory, _, _) = Create();
        using var key = AccountKeyPair.Generate();
        using var newKey = AccountKeyPair.Generate();
        await directory.ApplyAsync("acme-shoes", SignedDeviceList.Sign(key, DeviceListFixture.Shop(5, 1)).ToBytes());
        byte[] relisted = SignedDeviceList.Sign(newKey, DeviceListFixture.Shop(1, 1, 3)).ToBytes();

        DeviceListUpdate update = await directory.ApproveAccountKeyAsync("acme-shoes", relisted);

        Assert.True(update.IsSuccess, update.ToString());
        Assert.Equal(newKey.PublicKey, (await directory.GetDeviceListAsync("acme-shoes"))!.AccountKey);
        Assert.Equal(E2eChatFailure.VersionRollback, (await directory.ApplyAsync("acme-shoes", SignedDeviceList.Sign(newKey, DeviceListFixture.Shop(1, 1)).ToBytes())).Failure);
    }

    [Fact]
    public async Task ApplyAsync_Rollback_RefusedAndStoredListKept()
    {
        (AccountDirectory directory, _, _) = Create();
        using var key = AccountKeyPair.Generate();
        byte[] v1 = SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2)).ToBytes();
        byte[] v2 = SignedDeviceList.Sign(key, DeviceListFixture.Shop(2, 1)).ToBytes();
        await directory.ApplyAsync("acme-shoes", v1);
        await directory.ApplyAsync("acme-shoes", v2);

        DeviceListUpdate update = await directory.ApplyAsync("acme-shoes", v1);

        Assert.Equal(E2eChatFailure.VersionRollback, update.Failure);
        Assert.Equal(2UL, (await directory.GetDeviceListAsync("acme-shoes"))!.List.Version);
        Assert.True((await directory.ApplyAsync("acme-shoes", v2)).IsSuccess);
    }

    [Fact]
    public async Task ApplyAsync_Garbage_TypedFailureNothingStored()
    {
        (AccountDirectory directory, _, _) = Create();

        DeviceListUpdate update = await directory.ApplyAsync("acme-shoes", new byte[] { 0x0a, 0x01 });

        Assert.Equal(E2eChatFailure.Truncated, update.Failure);
        Assert.Null(await directory.GetDeviceListAsync("acme-shoes"));
    }
}
