using System.Security.Cryptography;
using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Chat devices over the real relay (in process, loopback) with SQLite stores in temporary directories.</summary>
public sealed class ChatDeviceTests
{
    [Fact]
    public async Task SendAsync_TwoDevices_ExchangeMessagesAndReceipts()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business);

        SendResult sent = await alice.SendAsync(shop.Address, AccountKind.Business, "Where is my order?");
        Assert.Equal(SendStatus.Accepted, sent.Status);
        Assert.Equal(1, sent.Attempts);

        MessageReceived question = Assert.Single(await TestDevices.ReceiveMessagesAsync(shop, 1));
        Assert.Equal("Where is my order?", question.Text);
        Assert.Equal(alice.Address, question.Sender);
        Assert.Equal(AccountKind.Person, question.SenderKind);
        Assert.Equal(sent.MessageId.ToArray(), question.MessageId.ToArray());
        Assert.DoesNotContain("order", question.ToString(), StringComparison.OrdinalIgnoreCase);

        Assert.True((await shop.SendReceiptAsync(question, ReceiptType.Read)).IsAccepted);
        Assert.True((await shop.SendAsync(alice.Address, AccountKind.Person, "It ships today.", Category.Service)).IsAccepted);

        List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(alice, e => e.OfType<MessageReceived>().Any());
        ReceiptReceived receipt = Assert.Single(events.OfType<ReceiptReceived>());
        Assert.Equal(ReceiptType.Read, receipt.Type);
        Assert.Equal(sent.MessageId.ToArray(), receipt.MessageId.ToArray());
        MessageReceived answer = Assert.Single(events.OfType<MessageReceived>());
        Assert.Equal("It ships today.", answer.Text);
        Assert.Equal(Category.Service, answer.Category);
        Assert.Empty(events.OfType<ViolationDetected>());
    }

    [Fact]
    public async Task Open_RestartedDevice_ContinuesConversationWithFreshPreKeyIds()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "one")).IsAccepted);
        Assert.Equal("one", Assert.Single(await TestDevices.ReceiveMessagesAsync(bob, 1)).Text);
        var identity = bob.Identity;

        // Bob's process ends; a new one opens the same directory with the same storage key.
        await bob.DisposeAsync();
        bob = await devices.OpenAsync("bob");
        Assert.Equal(identity, bob.Identity);
        Assert.True((await bob.SendAsync(alice.Address, AccountKind.Person, "two")).IsAccepted);
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "three")).IsAccepted);
        Assert.Equal("two", Assert.Single(await TestDevices.ReceiveMessagesAsync(alice, 1)).Text);
        Assert.Equal("three", Assert.Single(await TestDevices.ReceiveMessagesAsync(bob, 1)).Text);

        // Alice restarts too, and a third party can still open a session with the restarted Bob
        // (his new one-time keys did not reuse ids of keys already published).
        await alice.DisposeAsync();
        alice = await devices.OpenAsync("alice");
        ChatDevice carol = await devices.OpenAsync("carol");
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "four")).IsAccepted);
        Assert.True((await carol.SendAsync(bob.Address, AccountKind.Person, "five")).IsAccepted);
        List<MessageReceived> received = await TestDevices.ReceiveMessagesAsync(bob, 2);
        Assert.Equal(["five", "four"], received.Select(m => m.Text).Order());
    }

    [Fact]
    public async Task ReceiveAsync_AcknowledgementLost_RedeliveryNotShownTwice()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "hello")).IsAccepted);
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "again")).IsAccepted);

        // Bob handles both messages but his acknowledgements never reach the relay; then he restarts.
        bob.AcknowledgeFilter = _ => false;
        Assert.Equal(["hello", "again"], (await TestDevices.ReceiveMessagesAsync(bob, 2)).Select(m => m.Text));
        await bob.DisposeAsync();
        bob = await devices.OpenAsync("bob");

        // The relay delivers both again: recognized, acknowledged, not shown. The next message is.
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "third")).IsAccepted);
        List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<MessageReceived>().Any());
        Assert.Equal("third", Assert.Single(events.OfType<MessageReceived>()).Text);
        Assert.Equal(2, bob.DuplicatesIgnored);
        Assert.Empty(events.OfType<ViolationDetected>());

        // Acknowledged now: another stream shows nothing. The redelivered two stay acknowledged; the
        // acknowledgement of "third", sent just before the last stream was dropped, may be lost with the
        // stream (then "third" comes once more, recognized and not shown).
        List<ChatEvent> after = await TestDevices.ReceiveUntilAsync(bob, _ => true);
        Assert.Empty(after.OfType<MessageReceived>());
        Assert.InRange(bob.DuplicatesIgnored, 2, 3);
    }

    [Fact]
    public async Task RefillPreKeysAsync_BelowThreshold_TopsUpToTarget()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business);
        var full = await shop.GetPreKeyCountAsync(CancellationToken.None);
        Assert.Equal(5u, full.OneTimePrekeys);
        Assert.Equal(5u, full.OneTimeKemPrekeys);
        Assert.Equal(0, await shop.RefillPreKeysAsync());

        // Four customers open chats: each claims one one-time key of each kind (1 left, below 2).
        for (int i = 0; i < 4; i++)
        {
            ChatDevice customer = await devices.OpenAsync($"customer{i}");
            Assert.True((await customer.SendAsync(shop.Address, AccountKind.Business, $"hi {i}")).IsAccepted);
        }

        Assert.Equal(1u, (await shop.GetPreKeyCountAsync(CancellationToken.None)).OneTimePrekeys);

        // Receiving the pre-key messages and catching up refills to the target.
        Assert.Equal(4, (await TestDevices.ReceiveMessagesAsync(shop, 4)).Count);
        var refilled = await shop.GetPreKeyCountAsync(CancellationToken.None);
        Assert.Equal(5u, refilled.OneTimePrekeys);
        Assert.Equal(5u, refilled.OneTimeKemPrekeys);
    }

    [Fact]
    public async Task SendAsync_UnknownRecipient_NoPreKeys()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");

        E2eChatException refused = await Assert.ThrowsAsync<E2eChatException>(() => alice.SendAsync(new ProtocolAddress("nobody", 1), AccountKind.Person, "hello?"));
        Assert.True(refused.Failure == E2eChatFailure.NoPreKeys);
    }

    [Fact]
    public async Task ConnectAsync_WrongRelayId_Refused()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);

        E2eChatException refused = await Assert.ThrowsAsync<E2eChatException>(() => devices.OpenAsync("alice", configure: options => options.RelayId = "another-relay"));
        Assert.True(refused.Failure == E2eChatFailure.RelayIdMismatch);
    }

    [Fact]
    public async Task Open_WrongStorageKey_RefusedAsUnauthentic()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        await alice.DisposeAsync();

        Assert.Throws<E2eChatException>(() => ChatDevice.Open(devices.Options("alice"), RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public async Task Open_DirectoryOfAnotherDevice_Refused()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        await alice.DisposeAsync();
        ChatDeviceOptions options = devices.Options("alice");
        options.DeviceId = 2;
        options.DataDirectory = devices.Options("alice").DataDirectory;

        Assert.Throws<ArgumentException>(() => ChatDevice.Open(options, devices.StorageKey("alice")));
    }
}
