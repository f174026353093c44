using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Consent on the device over the real relay: grants and blocks reach the relay and the business, business messages pass the inbox gate.</summary>
public sealed class ChatDeviceConsentTests
{
    private const string Shop = "acme-shoes";

    [Fact]
    public async Task GrantAsync_Utility_RelayDeliversUtilityOutsideWindowAndBusinessKeepsProof()
    {
        var clock = new OffsetClock();
        await using TestRelay relay = await TestRelay.StartAsync(clock);
        await using var devices = new TestDevices(relay);
        await using Pair pair = await Pair.OpenAsync(devices, clock, shopClock: clock);

        ConsentSubmission grant = await pair.Alice.GrantAsync(Shop, ConsentScopes.Utility);
        Assert.True(grant.AcceptedByRelay);
        Assert.False(grant.RelayBlocked);
        Assert.Equal(ConsentAction.Grant, grant.Record.Record.Action);
        Assert.All(grant.SentToBusiness, r => Assert.True(r.IsAccepted));

        ConsentReceived received = Assert.Single((await TestDevices.ReceiveUntilAsync(pair.Sam, e => e.OfType<ConsentReceived>().Any())).OfType<ConsentReceived>());
        Assert.Equal(E2eChatFailure.None, received.Failure);
        Assert.Equal(ConsentScopes.Utility, pair.Sam.Proofs!.Get("alice")!.Record.Scopes);

        // A day later the window the record's own message opened is closed: only the grant lets the update through.
        clock.Offset = TimeSpan.FromHours(25);
        Assert.All(await pair.Sam.SendToAccountAsync("alice", "Your order shipped.", Category.Utility), r => Assert.True(r.IsAccepted));
        MessageReceived update = Assert.Single(await TestDevices.ReceiveMessagesAsync(pair.Alice, 1));
        Assert.Equal(Category.Utility, update.Category);
        SendResult offer = Assert.Single(await pair.Sam.SendToAccountAsync("alice", "SALE!", Category.Marketing));
        Assert.Equal(SendStatus.Refused, offer.Status);
        Assert.Equal("NoConsent", offer.Reason);
    }

    [Fact]
    public async Task RevokeAsync_AfterGrant_RelayRefusesUtility()
    {
        var clock = new OffsetClock();
        await using TestRelay relay = await TestRelay.StartAsync(clock);
        await using var devices = new TestDevices(relay);
        await using Pair pair = await Pair.OpenAsync(devices, clock, shopClock: clock);
        await pair.Alice.GrantAsync(Shop, ConsentScopes.Utility);
        ConsentSubmission revoke = await pair.Alice.RevokeAsync(Shop);
        Assert.True(revoke.AcceptedByRelay);
        Assert.Equal(2UL, revoke.Record.Record.Serial);
        clock.Offset = TimeSpan.FromHours(25);
        SendResult update = Assert.Single(await pair.Sam.SendToAccountAsync("alice", "Your order shipped.", Category.Utility));
        Assert.Equal(SendStatus.Refused, update.Status);
        Assert.Equal("Revoked", update.Reason);
    }

    [Fact]
    public async Task BlockAsync_OneTap_RelayRefusesEveryCategoryUntilUnblock()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        await using Pair pair = await Pair.OpenAsync(devices);
        await pair.Alice.GrantAsync(Shop, ConsentScopes.Utility);
        await pair.Alice.SendToAccountAsync(Shop, "Hi"); // the window is open too

        ConsentSubmission block = await pair.Alice.BlockAsync(Shop);
        Assert.True(block.AcceptedByRelay);
        Assert.True(block.RelayBlocked);
        Assert.Empty(block.SentToBusiness);
        foreach (Category category in new[] { Category.Service, Category.Utility })
        {
            SendResult refused = Assert.Single(await pair.Sam.SendToAccountAsync("alice", "Still there?", category));
            Assert.Equal(SendStatus.Refused, refused.Status);
            Assert.Equal("Blocked", refused.Reason);
        }

        ConsentSubmission unblock = await pair.Alice.UnblockAsync(Shop);
        Assert.True(unblock.AcceptedByRelay);
        Assert.False(unblock.RelayBlocked);
        Assert.True(Assert.Single(await pair.Sam.SendToAccountAsync("alice", "Your order shipped.", Category.Utility)).IsAccepted);
    }

    [Fact]
    public async Task ReceiveAsync_BusinessMessageOutsideDeviceWindow_HeldAsRequestUntilAccepted()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        var clock = new OffsetClock();
        await using Pair pair = await Pair.OpenAsync(devices, clock);
        await pair.Alice.SendToAccountAsync(Shop, "Hi"); // opens the window at the relay (today) and on the device
        await TestDevices.ReceiveMessagesAsync(pair.Sam, 1);

        // Alice's device lives a day later: its window closed, while the relay still lets the answer through.
        clock.Offset = TimeSpan.FromHours(25);
        await pair.Sam.SendToAccountAsync("alice", "Did that help?", Category.Service);
        List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(pair.Alice, e => e.OfType<MessageRequestReceived>().Any());
        Assert.Empty(events.OfType<MessageReceived>());
        MessageRequestReceived request = Assert.Single(events.OfType<MessageRequestReceived>());
        Assert.Equal(Shop, request.Business);
        Assert.Equal(ConsentDecision.WindowClosed, request.Policy);
        Assert.Equal([Shop], pair.Alice.RequestingBusinesses);

        IReadOnlyList<MessageReceived> released = await pair.Alice.AcceptRequestAsync(Shop);
        Assert.Equal("Did that help?", Assert.Single(released).Text);
        Assert.Empty(pair.Alice.RequestingBusinesses);
        Assert.Empty(await pair.Alice.AcceptRequestAsync(Shop));
    }

    [Fact]
    public async Task ReportAsync_HeldRequest_BlocksAtRelayWithEvidence()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        var clock = new OffsetClock();
        await using Pair pair = await Pair.OpenAsync(devices, clock);
        await pair.Alice.SendToAccountAsync(Shop, "Hi");
        clock.Offset = TimeSpan.FromHours(25);
        await pair.Sam.SendToAccountAsync("alice", "Buy our socks", Category.Service);
        await TestDevices.ReceiveUntilAsync(pair.Alice, e => e.OfType<MessageRequestReceived>().Any());

        ConsentSubmission report = await pair.Alice.ReportAsync(Shop);
        Assert.Equal("Buy our socks", System.Text.Encoding.UTF8.GetString(Assert.Single(report.Evidence).Message.Body.Span));
        Assert.True(report.AcceptedByRelay);
        Assert.True(report.RelayBlocked);
        Assert.Equal("Blocked", Assert.Single(await pair.Sam.SendToAccountAsync("alice", "Hello?", Category.Service)).Reason);
    }

    [Fact]
    public async Task ReceiveAsync_CategoryDisguised_ViolationDetected()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        await using Pair pair = await Pair.OpenAsync(devices);
        await pair.Alice.GrantAsync(Shop, ConsentScopes.Utility);

        // A UTILITY envelope (granted, cheaper) around MARKETING content.
        byte[] content = Content.FromMessage(new ApplicationMessage("SALE!"u8, (int)Category.Marketing)).ToBytes();
        Assert.True((await pair.Sam.SendContentAsync(pair.Alice.Address, AccountKind.Person, content, Category.Utility, CancellationToken.None)).IsAccepted);
        List<ChatEvent> events = await TestDevices.ReceiveUntilAsync(pair.Alice, e => e.OfType<ViolationDetected>().Any());
        Assert.Empty(events.OfType<MessageReceived>());
        Assert.Equal(E2eChatFailure.CategoryMismatch, Assert.Single(events.OfType<ViolationDetected>()).Failure);
    }

    [Fact]
    public async Task GrantAsync_WithoutAccountKey_Throws()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice sam = await devices.OpenAsync(Shop, 1, AccountKind.Business);
        E2eChatException e = await Assert.ThrowsAsync<E2eChatException>(() => bob.GrantAsync(Shop, ConsentScopes.Utility));
        Assert.True(e.Failure == E2eChatFailure.NoAccountKey);
        using AccountKeyPair key = AccountKeyPair.Generate();
        Assert.Throws<InvalidOperationException>(() => sam.UseAccountKey(key));
        Assert.Null(bob.Proofs);
        Assert.NotNull(sam.Proofs);
    }

    /// <summary>Alice (with her account key) and Acme's Sam, both lists published at the relay.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly AccountKeyPair _aliceKey;
        private readonly AccountKeyPair _shopKey;

        private Pair(ChatDevice alice, ChatDevice sam, AccountKeyPair aliceKey, AccountKeyPair shopKey)
        {
            Alice = alice;
            Sam = sam;
            _aliceKey = aliceKey;
            _shopKey = shopKey;
        }

        public ChatDevice Alice { get; }

        public ChatDevice Sam { get; }

        public static async Task<Pair> OpenAsync(TestDevices devices, TimeProvider? aliceClock = null, TimeProvider? shopClock = null)
        {
            ChatDevice alice = await devices.OpenAsync("alice", time: aliceClock);
            ChatDevice sam = await devices.OpenAsync(Shop, 1, AccountKind.Business, time: shopClock);
            var aliceKey = AccountKeyPair.Generate();
            var shopKey = AccountKeyPair.Generate();
            await alice.PublishDeviceListAsync(TestAccounts.List(aliceKey, 1, alice));
            await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam));
            alice.UseAccountKey(aliceKey);
            return new Pair(alice, sam, aliceKey, shopKey);
        }

        public ValueTask DisposeAsync()
        {
            _aliceKey.Dispose();
            _shopKey.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
