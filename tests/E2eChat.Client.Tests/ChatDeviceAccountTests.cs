using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Sending to accounts over the real relay: every listed device plus sync copies, device lists shared in the chat.</summary>
public sealed class ChatDeviceAccountTests
{
    [Fact]
    public async Task SendToAccountAsync_BusinessWithTwoAgents_FansOutWithSyncCopies()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync("acme-shoes", 1, AccountKind.Business);
        ChatDevice hosted = await devices.OpenAsync("acme-shoes", 2, AccountKind.Business);
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        SignedDeviceList shopList = SignedDeviceList.Sign(shopKey, new DeviceList("acme-shoes", AccountKind.Business, 1, 1_700_000_000_000, [
            new DeviceEntry(1, sam.Identity, "Sam", DeviceRole.Agent),
            new DeviceEntry(2, hosted.Identity, "Helpdesk", DeviceRole.Hosted, "helpdesk-cloud")]));
        SignedDeviceList aliceList = SignedDeviceList.Sign(aliceKey, new DeviceList("alice", AccountKind.Person, 1, 1_700_000_000_000, [
            new DeviceEntry(1, alice.Identity, "Phone", DeviceRole.Agent)]));
        foreach (ChatDevice device in new[] { alice, sam, hosted })
        {
            Assert.True((await device.Accounts.ApplyAsync("acme-shoes", shopList.ToBytes())).IsSuccess);
        }

        Assert.True((await alice.Accounts.ApplyAsync("alice", aliceList.ToBytes())).IsSuccess);

        // Alice writes to the account: both agent devices get it, under one message id.
        IReadOnlyList<SendResult> sent = await alice.SendToAccountAsync("acme-shoes", "Hi, wrong size in my box.");
        Assert.Equal(["acme-shoes.1", "acme-shoes.2"], sent.Select(r => r.Recipient.ToString()).Order());
        Assert.All(sent, r => Assert.True(r.IsAccepted));
        Assert.Single(sent.Select(r => Convert.ToHexString(r.MessageId.Span)).Distinct());

        // She shares her device list so the shop can answer her account; it is applied on receipt.
        Assert.All(await alice.SendDeviceListAsync("acme-shoes", aliceList), r => Assert.True(r.IsAccepted));
        List<ChatEvent> atSam = await TestDevices.ReceiveUntilAsync(sam, e => e.OfType<DeviceListChanged>().Any());
        Assert.Equal("Hi, wrong size in my box.", Assert.Single(atSam.OfType<MessageReceived>()).Text);
        Assert.Equal("alice", Assert.Single(atSam.OfType<DeviceListChanged>()).Update.List!.List.Account);

        // Sam answers the account: Alice gets it, the hosted desk gets a sync copy naming Alice.
        IReadOnlyList<SendResult> answer = await sam.SendToAccountAsync("alice", "Sorry! A new pair ships today.", Category.Service);
        Assert.Equal(2, answer.Count);
        Assert.All(answer, r => Assert.True(r.IsAccepted));
        MessageReceived atAlice = Assert.Single(await TestDevices.ReceiveMessagesAsync(alice, 1));
        Assert.Equal("Sorry! A new pair ships today.", atAlice.Text);
        Assert.Equal(Category.Service, atAlice.Category);
        List<MessageReceived> atHosted = await TestDevices.ReceiveMessagesAsync(hosted, 2);
        Assert.Equal("Hi, wrong size in my box.", atHosted[0].Text);
        Assert.Equal("alice", atHosted[1].SyncRecipient);
        Assert.Equal("Sorry! A new pair ships today.", atHosted[1].Text);
    }
}
