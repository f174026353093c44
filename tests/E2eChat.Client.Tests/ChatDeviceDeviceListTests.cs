using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Device lists through the relay's Accounts service: published by the account, fetched by contacts, pinned and never rolled back.</summary>
public sealed class ChatDeviceDeviceListTests
{
    [Fact]
    public async Task PublishDeviceListAsync_ContactsSendToAccount_ListsFetchedFromRelay()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        ChatDevice hosted = await devices.OpenAsync("acme-shoes", 2, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        SignedDeviceList shopList = TestAccounts.List(shopKey, 1, sam, hosted);
        Assert.True(await sam.PublishDeviceListAsync(shopList));
        Assert.False(await hosted.PublishDeviceListAsync(shopList));
        Assert.True(await alice.PublishDeviceListAsync(TestAccounts.List(aliceKey, 1, alice)));

        // Nobody applied anybody's list by hand: sending to an account fetches its list from the relay.
        IReadOnlyList<SendResult> sent = await alice.SendToAccountAsync("acme-shoes", "Hi!");
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.True(r.IsAccepted));
        Assert.Equal(shopKey.PublicKey, (await alice.Accounts.GetDeviceListAsync("acme-shoes"))!.AccountKey);
        Assert.Equal("Hi!", Assert.Single(await TestDevices.ReceiveMessagesAsync(sam, 1)).Text);
        IReadOnlyList<SendResult> answer = await sam.SendToAccountAsync("alice", "Hello Alice", Category.Service);
        Assert.Equal(2, answer.Count); // Alice's phone and the hosted desk's sync copy
        Assert.Equal("Hello Alice", Assert.Single(await TestDevices.ReceiveMessagesAsync(alice, 1)).Text);
    }

    [Fact]
    public async Task FetchDeviceListAsync_NewerVersion_Applied()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        ChatDevice hosted = await devices.OpenAsync("acme-shoes", 2, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam));
        Assert.Equal(1UL, (await alice.FetchDeviceListAsync("acme-shoes"))!.List!.List.Version);
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 2, sam, hosted));
        DeviceListUpdate update = (await alice.FetchDeviceListAsync("acme-shoes"))!;
        Assert.True(update.IsSuccess);
        Assert.Equal(2UL, update.List!.List.Version);
        Assert.Equal(2u, Assert.Single(update.Added).Device);
        Assert.Null(await alice.FetchDeviceListAsync("nobody"));
    }

    [Fact]
    public async Task FetchDeviceListAsync_RelayServesAnotherAccountKey_RefusedAndPinnedKeyKept()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair otherKey = AccountKeyPair.Generate();
        Assert.True((await alice.Accounts.ApplyAsync("acme-shoes", TestAccounts.List(shopKey, 1, sam).ToBytes())).IsSuccess); // pinned from a contact link
        await sam.PublishDeviceListAsync(TestAccounts.List(otherKey, 5, sam));

        DeviceListUpdate update = (await alice.FetchDeviceListAsync("acme-shoes"))!;
        Assert.Equal(E2eChatFailure.AccountKeyMismatch, update.Failure);
        Assert.Equal(shopKey.PublicKey, (await alice.Accounts.GetDeviceListAsync("acme-shoes"))!.AccountKey);
    }

    [Fact]
    public async Task FetchDeviceListAsync_RelayServesOlderVersion_RefusedAsRollback()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam));
        Assert.True((await alice.Accounts.ApplyAsync("acme-shoes", TestAccounts.List(shopKey, 3, sam).ToBytes())).IsSuccess);

        DeviceListUpdate update = (await alice.FetchDeviceListAsync("acme-shoes"))!;
        Assert.Equal(E2eChatFailure.VersionRollback, update.Failure);
        Assert.Equal(3UL, (await alice.Accounts.GetDeviceListAsync("acme-shoes"))!.List.Version);
    }

    [Fact]
    public async Task PublishDeviceListAsync_OlderVersionOrOtherAccount_Refused()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 2, sam));
        E2eChatException refused = await Assert.ThrowsAsync<E2eChatException>(() => sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam)));
        Assert.True(refused.Failure == E2eChatFailure.DeviceListRefused);
        await Assert.ThrowsAsync<ArgumentException>(() => alice.PublishDeviceListAsync(TestAccounts.List(shopKey, 3, sam)));
    }

    [Fact]
    public async Task OpenContactLinkAsync_RelayListUnderLinkKey_AcceptedOtherwiseRefused()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair forgedKey = AccountKeyPair.Generate();
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam));
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SignedContactLink genuine = SignedContactLink.Sign(shopKey, new ContactLink("acme-shoes", "Acme Shoes", shopKey.PublicKey, now, now + 3_600_000, "Hi", scopes: 2));
        SignedContactLink forged = SignedContactLink.Sign(forgedKey, new ContactLink("acme-shoes", "Acme Shoes", forgedKey.PublicKey, now, now + 3_600_000, "Hi", scopes: 2));

        (E2eChatFailure failure, DeviceListUpdate? update) = await alice.OpenContactLinkAsync(genuine);
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.True(update!.IsSuccess);
        Assert.Equal(E2eChatFailure.AccountKeyMismatch, (await bob.OpenContactLinkAsync(forged)).Failure);
        Assert.Null(await bob.Accounts.GetDeviceListAsync("acme-shoes"));
    }
}
