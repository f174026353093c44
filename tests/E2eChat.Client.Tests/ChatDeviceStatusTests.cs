using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

/// <summary>Status posts over the real relay: seen until their signed expiry, then gone from the device and the relay.</summary>
public sealed class ChatDeviceStatusTests
{
    private const string Shop = "acme-shoes";

    [Fact]
    public async Task PostStatusAsync_TwoHours_SeenThenGoneFromDeviceAndRelay()
    {
        var clock = new OffsetClock();
        await using TestRelay relay = await TestRelay.StartAsync(clock);
        await using var devices = new TestDevices(relay);
        using AccountKeyPair bobKey = AccountKeyPair.Generate();
        using AccountKeyPair carolKey = AccountKeyPair.Generate();
        ChatDevice alice = await devices.OpenAsync("alice", time: clock);
        ChatDevice bob = await devices.OpenAsync("bob", time: clock);
        ChatDevice carol = await devices.OpenAsync("carol", time: clock);
        await bob.PublishDeviceListAsync(TestAccounts.List(bobKey, 1, bob));
        await carol.PublishDeviceListAsync(TestAccounts.List(carolKey, 1, carol));

        IReadOnlyList<SendResult> posted = await alice.PostStatusAsync(["bob", "carol"], "At the beach", TimeSpan.FromHours(2));
        Assert.Equal(["bob.1", "carol.1"], posted.Select(r => r.Recipient.ToString()).Order());
        Assert.All(posted, r => Assert.True(r.IsAccepted));
        StatusReceived seen = Assert.Single((await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<StatusReceived>().Any())).OfType<StatusReceived>());
        Assert.Equal("At the beach", seen.Post.Text);
        Assert.Equal(alice.Address, seen.Post.Sender);
        Assert.InRange(seen.Post.ExpiresAt - seen.Post.PostedAt, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.Equal("At the beach", Assert.Single(await bob.ListStatusAsync()).Text);

        // Three hours later: Bob no longer shows it and deletes it; Carol, who was offline, never gets it from the relay.
        clock.Offset = TimeSpan.FromHours(3);
        Assert.Empty(await bob.ListStatusAsync());
        Assert.Equal(1, await bob.PurgeExpiredAsync());
        Assert.Equal(0, await bob.PurgeExpiredAsync());
        List<ChatEvent> atCarol = await TestDevices.ReceiveUntilAsync(carol, e => e.OfType<QueueCaughtUp>().Any());
        Assert.Empty(atCarol.OfType<StatusReceived>());
        Assert.Single(atCarol.OfType<SenderKeyReceived>()); // the key (a pairwise message) still arrives; the post it opened is gone
        Assert.Empty(await carol.ListStatusAsync());
    }

    [Fact]
    public async Task PostStatusAsync_AudienceShrinks_RotatesAndDroppedAccountGetsNothing()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using AccountKeyPair bobKey = AccountKeyPair.Generate();
        using AccountKeyPair carolKey = AccountKeyPair.Generate();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice carol = await devices.OpenAsync("carol");
        await bob.PublishDeviceListAsync(TestAccounts.List(bobKey, 1, bob));
        await carol.PublishDeviceListAsync(TestAccounts.List(carolKey, 1, carol));
        await alice.PostStatusAsync(["bob", "carol"], "first", TimeSpan.FromHours(1));
        Assert.Equal("bob.1", Assert.Single(await alice.PostStatusAsync(["bob"], "second", TimeSpan.FromHours(1))).Recipient.ToString());
        List<ChatEvent> atBob = await TestDevices.ReceiveUntilAsync(bob, e => e.OfType<StatusReceived>().Count() >= 2);
        Assert.Equal(2, atBob.OfType<SenderKeyReceived>().Count()); // the first generation and the rotated one
        Assert.Equal(["first", "second"], (await bob.ListStatusAsync()).Select(p => p.Text));
        List<ChatEvent> atCarol = await TestDevices.ReceiveUntilAsync(carol, e => e.OfType<StatusReceived>().Any());
        Assert.Equal("first", Assert.Single(atCarol.OfType<StatusReceived>()).Post.Text);
        Assert.Equal(["first"], (await carol.ListStatusAsync()).Select(p => p.Text));
    }

    [Fact]
    public async Task PostStatusAsync_BusinessToCustomer_MarketingGrantNeededAndBilledAsMarketing()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await using var devices = new TestDevices(relay);
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice sam = await devices.OpenAsync(Shop, 1, AccountKind.Business);
        await alice.PublishDeviceListAsync(TestAccounts.List(aliceKey, 1, alice));
        await sam.PublishDeviceListAsync(TestAccounts.List(shopKey, 1, sam));
        alice.UseAccountKey(aliceKey);

        // Without consent the key itself is refused (it is a MARKETING message), so nothing can be posted to her.
        SendResult refusedKey = Assert.Single(await sam.PostStatusAsync(["alice"], "SALE", TimeSpan.FromHours(1)));
        Assert.Equal(SendStatus.Refused, refusedKey.Status);
        Assert.Equal("NoConsent", refusedKey.Reason);

        await alice.GrantAsync(Shop, ConsentScopes.Marketing);
        IReadOnlyList<SendResult> posted = await sam.PostStatusAsync(["alice"], "Spring sale: 20% off", TimeSpan.FromHours(24));
        Assert.True(Assert.Single(posted).IsAccepted);
        List<ChatEvent> atAlice = await TestDevices.ReceiveUntilAsync(alice, e => e.OfType<StatusReceived>().Any());
        Assert.Equal("Spring sale: 20% off", Assert.Single(atAlice.OfType<StatusReceived>()).Post.Text);
        (IReadOnlyList<UsageLine> lines, _) = await sam.GetUsageAsync(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)));
        UsageLine marketing = Assert.Single(lines, l => l.Category == Category.Marketing);
        Assert.Equal(2UL, marketing.Messages); // the key distribution and the post, each one MARKETING message to Alice
    }
}
