using E2eChat.Demo;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Demo;

public sealed class ChatParticipantTests
{
    [Fact]
    public async Task ReceiveAsync_TamperedThenGenuine_RefusesTamperedAndShowsGenuineOnce()
    {
        var directory = new KeyDirectory();
        var relay = new InMemoryRelay();
        using ChatParticipant alice = await ChatParticipant.CreateAsync(new ProtocolAddress("alice", 1), AccountKind.Person, "Alice", directory, relay);
        using ChatParticipant shop = await ChatParticipant.CreateAsync(new ProtocolAddress("acme-shoes", 1), AccountKind.Business, "Shop", directory, relay);
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        directory.PublishDeviceList(SignedDeviceList.Sign(aliceKey, new DeviceList("alice", AccountKind.Person, 1, 1, [await alice.EntryAsync("Alice's phone")])));
        directory.PublishDeviceList(SignedDeviceList.Sign(shopKey, new DeviceList("acme-shoes", AccountKind.Business, 1, 1, [await shop.EntryAsync("Shop")])));

        RelayRecord sent = Assert.Single(await alice.SendAsync("Is the navy pair in stock?", "acme-shoes"));
        (RelayRecord record, byte[] envelope) = Assert.Single(relay.Collect(shop.Address));
        Assert.Same(sent, record);
        byte[] tampered = [.. envelope];
        tampered[^1] ^= 0x01; // last byte of the ciphertext

        Received refused = await shop.ReceiveAsync(tampered, record.Sequence);
        Received accepted = await shop.ReceiveAsync(envelope, record.Sequence);
        Received duplicate = await shop.ReceiveAsync(envelope, record.Sequence);

        Assert.Null(refused.Text);
        Assert.Equal(E2eChatFailure.InvalidCiphertext, refused.Failure);
        Assert.Equal("Is the navy pair in stock?", accepted.Text);
        Assert.Equal(alice.Address, accepted.From);
        Assert.Equal(E2eChatFailure.Duplicate, duplicate.Failure);
        TranscriptEntry entry = Assert.Single(shop.Transcript);
        Assert.Equal(new TranscriptEntry(1, "Alice", "Is the navy pair in stock?"), entry);
        Assert.Equal(new TranscriptEntry(1, "me", "Is the navy pair in stock?"), Assert.Single(alice.Transcript));
    }
}
