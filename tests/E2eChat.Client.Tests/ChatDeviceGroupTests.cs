using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Storage.Sqlite;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Groups over the real relay: sender keys to every device of every member, posts through <c>Post</c>, rotation on removal, state across restarts.</summary>
public sealed class ChatDeviceGroupTests
{
    private const string Shop = "acme-shoes";

    [Fact]
    public async Task SendGroupMessageAsync_ThreeAccountsWithTwoShopDevices_EveryDeviceReadsEveryMember()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice sam = await devices.OpenAsync(Shop, 1, AccountKind.Business);
        ChatDevice desk = await devices.OpenAsync(Shop, 2, AccountKind.Business);
        await alice.PublishDeviceListAsync(TestAccounts.List(keys.Alice, 1, alice));
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        await sam.PublishDeviceListAsync(TestAccounts.List(keys.Shop, 1, sam, desk));
        await desk.FetchDeviceListAsync(Shop);
        DistributionId group = ChatDevice.NewGroupId();

        // Alice creates the group: her key goes to Bob's phone and both of the shop's devices.
        IReadOnlyList<SendResult> keysSent = await alice.CreateGroupAsync(group, ["bob", Shop, "alice"]);
        Assert.Equal(["acme-shoes.1", "acme-shoes.2", "bob.1"], keysSent.Select(r => r.Recipient.ToString()).Order());
        Assert.All(keysSent, r => Assert.True(r.IsAccepted));
        Assert.Equal(["acme-shoes", "bob"], alice.GetGroupMembers(group));
        IReadOnlyList<SendResult> posted = await alice.SendGroupMessageAsync(group, "Lunch at noon?");
        Assert.Equal(3, posted.Count);
        Assert.All(posted, r => Assert.True(r.IsAccepted));
        Assert.Single(posted.Select(r => Convert.ToHexString(r.MessageId.Span)).Distinct());

        // Bob and the shop (whose devices are now in Alice's window) post to the same group under the same id.
        await bob.CreateGroupAsync(group, ["alice", Shop]);
        await bob.SendGroupMessageAsync(group, "Yes!");
        await sam.CreateGroupAsync(group, ["alice", "bob"]);
        Assert.All(await sam.SendGroupMessageAsync(group, "We'll bring shoes."), r => Assert.True(r.IsAccepted));

        foreach ((ChatDevice device, string[] expected) in new[]
        {
            (alice, new[] { "Yes!", "We'll bring shoes." }),
            (bob, new[] { "Lunch at noon?", "We'll bring shoes." }),
            (desk, new[] { "Lunch at noon?", "Yes!", "We'll bring shoes." }),
        })
        {
            List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(device, e => e.OfType<GroupMessageReceived>().Count() >= expected.Length);
            List<GroupMessageReceived> messages = [.. events.OfType<GroupMessageReceived>()];
            Assert.Equal(expected.Order(), messages.Select(m => m.Text).Order());
            Assert.All(messages, m => Assert.Equal(group, m.GroupId));
            Assert.All(events.OfType<SenderKeyReceived>(), k => Assert.Equal(group, k.GroupId));
            Assert.Empty(events.OfType<ViolationDetected>());
        }
    }

    [Fact]
    public async Task RemoveGroupMemberAsync_Rotates_RemovedMemberCannotOpenLaterPosts()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice carol = await devices.OpenAsync("carol");
        ChatDevice carolTablet = await devices.OpenAsync("carol", 2);
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        await carol.PublishDeviceListAsync(TestAccounts.List(keys.Carol, 1, carol, carolTablet));
        DistributionId group = ChatDevice.NewGroupId();
        await alice.CreateGroupAsync(group, ["bob", "carol"]);
        var posts = new List<byte[]>();
        alice.PostObserver = posts.Add;
        Assert.Equal(3, (await alice.SendGroupMessageAsync(group, "one")).Count);
        Assert.Equal("one", Assert.Single((await TestDevices.ReceiveUntilAsync(carol, e => e.OfType<GroupMessageReceived>().Any())).OfType<GroupMessageReceived>()).Text);
        Assert.Single((await TestDevices.ReceiveUntilAsync(carolTablet, e => e.OfType<SenderKeyReceived>().Any())).OfType<SenderKeyReceived>());

        // Removing Carol rotates: the new key goes to Bob's device only, and so does the next post.
        IReadOnlyList<SendResult> rotated = await alice.RemoveGroupMemberAsync(group, "carol");
        Assert.Equal("bob.1", Assert.Single(rotated).Recipient.ToString());
        Assert.Equal(["bob"], alice.GetGroupMembers(group));
        Assert.Equal("bob.1", Assert.Single(await alice.SendGroupMessageAsync(group, "two")).Recipient.ToString());
        List<GroupMessageReceived> atBob = [.. (await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<GroupMessageReceived>().Count() >= 2)).OfType<GroupMessageReceived>()];
        Assert.Equal(["one", "two"], atBob.Select(m => m.Text));

        // Even with the post in hand, Carol's stored keys (both devices, read from their files) know the old generation only.
        await carol.DisposeAsync();
        await carolTablet.DisposeAsync();
        Assert.True(EnvelopeCodec.TryDecode(posts[1], out Envelope? later, out _));
        Assert.True(EnvelopeCodec.TryDecode(posts[0], out Envelope? earlier, out _));
        foreach (uint deviceId in new uint[] { 1, 2 })
        {
            using SqliteProtocolStore store = SqliteProtocolStore.Open(Path.Combine(devices.Options("carol", deviceId).DataDirectory, ChatDevice.ProtocolStoreFileName), devices.StorageKey("carol", deviceId));
            var receiver = new GroupReceiver(store);
            ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.Equal(E2eChatFailure.UnknownSenderKey, (await receiver.TryDecryptAsync(alice.Address, later!.Message.Body, now)).Failure);

            // The old generation is held (its post verifies and was opened once already): only the new one is unknown.
            Assert.Equal(E2eChatFailure.Duplicate, (await receiver.TryDecryptAsync(alice.Address, earlier!.Message.Body, now)).Failure);
        }
    }

    [Fact]
    public async Task RemoveGroupMemberAsync_KilledAfterMembershipStoredBeforeRotation_RotatesOnNextPost()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice carol = await devices.OpenAsync("carol");
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        await carol.PublishDeviceListAsync(TestAccounts.List(keys.Carol, 1, carol));
        DistributionId group = ChatDevice.NewGroupId();
        await alice.CreateGroupAsync(group, ["bob", "carol"]);
        await alice.SendGroupMessageAsync(group, "one");
        await TestDevices.ReceiveUntilAsync(carol, e => e.OfType<GroupMessageReceived>().Any());

        // The process dies right after the removal's first write (Carol out, rotation pending), before the new key exists.
        await alice.DisposeAsync();
        string file = Path.Combine(devices.Options("alice").DataDirectory, ChatDevice.GroupStateFileName);
        using (GroupStateStore state = GroupStateStore.Open(file, devices.StorageKey("alice")))
        {
            GroupRecord before = state.GetGroup(group.ToArray())!;
            state.PutGroup(group.ToArray(), before with { Members = ["bob"], Distributed = [], ChainId = 0 });
        }

        alice = await devices.OpenAsync("alice");
        var posts = new List<byte[]>();
        alice.PostObserver = posts.Add;
        Assert.Equal("bob.1", Assert.Single(await alice.SendGroupMessageAsync(group, "two")).Recipient.ToString());
        Assert.Equal(["one", "two"], (await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<GroupMessageReceived>().Count() >= 2)).OfType<GroupMessageReceived>().Select(m => m.Text));
        await carol.DisposeAsync();
        Assert.True(EnvelopeCodec.TryDecode(posts[0], out Envelope? two, out _));
        using SqliteProtocolStore carolStore = SqliteProtocolStore.Open(Path.Combine(devices.Options("carol").DataDirectory, ChatDevice.ProtocolStoreFileName), devices.StorageKey("carol"));
        Assert.Equal(E2eChatFailure.UnknownSenderKey, (await new GroupReceiver(carolStore).TryDecryptAsync(alice.Address, two!.Message.Body, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).Failure);
    }

    [Fact]
    public async Task Groups_DevicesReopened_MembershipAndKeysContinue()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        DistributionId group = ChatDevice.NewGroupId();
        await alice.CreateGroupAsync(group, ["bob"]);
        await alice.SendGroupMessageAsync(group, "before");
        Assert.Equal("before", Assert.Single((await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<GroupMessageReceived>().Any())).OfType<GroupMessageReceived>()).Text);

        // Both processes restart: Alice's membership, distribution record and chain position, and Bob's receiver key, come back from SQLite.
        await alice.DisposeAsync();
        await bob.DisposeAsync();
        alice = await devices.OpenAsync("alice");
        bob = await devices.OpenAsync("bob");
        Assert.Equal(["bob"], alice.GetGroupMembers(group));
        await Assert.ThrowsAsync<E2eChatException>(() => alice.CreateGroupAsync(group, ["bob"]));
        Assert.Equal("bob.1", Assert.Single(await alice.SendGroupMessageAsync(group, "after")).Recipient.ToString());
        List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<GroupMessageReceived>().Any());
        Assert.Equal("after", Assert.Single(events.OfType<GroupMessageReceived>()).Text);
        Assert.Empty(events.OfType<SenderKeyReceived>()); // no second distribution was needed
        Assert.Empty(events.OfType<ViolationDetected>());
    }

    [Fact]
    public async Task GroupCalls_UnknownGroupOrNonMember_TypedFailures()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        DistributionId unknown = ChatDevice.NewGroupId();
        Assert.True((await Assert.ThrowsAsync<E2eChatException>(() => alice.SendGroupMessageAsync(unknown, "hi"))).Failure == E2eChatFailure.UnknownGroup);
        Assert.True((await Assert.ThrowsAsync<E2eChatException>(() => alice.AddGroupMemberAsync(unknown, "bob"))).Failure == E2eChatFailure.UnknownGroup);
        Assert.True(Assert.Throws<E2eChatException>(() => alice.GetGroupMembers(unknown)).Failure == E2eChatFailure.UnknownGroup);

        DistributionId group = ChatDevice.NewGroupId();
        await alice.CreateGroupAsync(group, ["bob"]);
        Assert.True((await Assert.ThrowsAsync<E2eChatException>(() => alice.RemoveGroupMemberAsync(group, "carol"))).Failure == E2eChatFailure.NotAGroupMember);
        Assert.True((await Assert.ThrowsAsync<E2eChatException>(() => alice.CreateGroupAsync(group, ["bob"]))).Failure == E2eChatFailure.GroupExists);
        Assert.True((await Assert.ThrowsAsync<E2eChatException>(() => alice.AddGroupMemberAsync(group, "nobody"))).Failure == E2eChatFailure.NoDeviceList);
        await Assert.ThrowsAsync<ArgumentException>(() => alice.CreateGroupAsync(ChatDevice.NewGroupId(), ["Not Valid"]));

        // Nothing changed: the group still has Bob only, and he still gets its posts.
        Assert.Equal(["bob"], alice.GetGroupMembers(group));
        Assert.Single(await alice.SendGroupMessageAsync(group, "still here"));
    }

    [Fact]
    public async Task AddGroupMemberAsync_NewMember_ReadsFromNowOn()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using var keys = new Keys();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice carol = await devices.OpenAsync("carol");
        await bob.PublishDeviceListAsync(TestAccounts.List(keys.Bob, 1, bob));
        await carol.PublishDeviceListAsync(TestAccounts.List(keys.Carol, 1, carol));
        DistributionId group = ChatDevice.NewGroupId();
        await alice.CreateGroupAsync(group, ["bob"]);
        await alice.SendGroupMessageAsync(group, "bob only");
        Assert.Equal("carol.1", Assert.Single(await alice.AddGroupMemberAsync(group, "carol")).Recipient.ToString());
        Assert.Empty(await alice.AddGroupMemberAsync(group, "carol")); // her device holds the key already
        Assert.Equal(2, (await alice.SendGroupMessageAsync(group, "everyone")).Count);
        Assert.Equal("everyone", Assert.Single((await TestDevices.ReceiveUntilAsync(carol, e => e.OfType<GroupMessageReceived>().Any())).OfType<GroupMessageReceived>()).Text);
    }

    /// <summary>Account keys of the test accounts.</summary>
    private sealed class Keys : IDisposable
    {
        public AccountKeyPair Alice { get; } = AccountKeyPair.Generate();

        public AccountKeyPair Bob { get; } = AccountKeyPair.Generate();

        public AccountKeyPair Carol { get; } = AccountKeyPair.Generate();

        public AccountKeyPair Shop { get; } = AccountKeyPair.Generate();

        public void Dispose()
        {
            Alice.Dispose();
            Bob.Dispose();
            Carol.Dispose();
            Shop.Dispose();
        }
    }
}
