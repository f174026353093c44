using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Storage;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Category = E2eChat.Wire.Category;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary>Expiry, rate limits and policy on a relay whose clock the test moves (no sleeping).</summary>
public sealed class TimedTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<TestDevice> _devices = [];
    private RelayTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RelayTestServer.StartAsync(_time);

    public async Task DisposeAsync()
    {
        foreach (TestDevice device in _devices)
        {
            device.Dispose();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Token_AfterItsLifetime_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        await alice.AuthenticateAsync();
        await alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), alice.Call());
        _time.Advance(TimeSpan.FromMinutes(15));
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "TokenExpired", () => alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), alice.Call()).ResponseAsync);
    }

    [Fact]
    public async Task Challenge_AfterSixtySeconds_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        GetChallengeResponse challenge = await alice.Auth.GetChallengeAsync(new GetChallengeRequest());
        _time.Advance(TimeSpan.FromSeconds(60));
        byte[] signature = AuthSigning.Sign(alice.Identity, AuthSigning.Body(challenge.RelayId, challenge.Challenge.ToByteArray(), alice.Name, 1, 1));
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "ChallengeExpired", () => alice.Auth.AuthenticateAsync(new AuthenticateRequest
        {
            Device = alice.ApiAddress,
            IdentityKey = ByteString.CopyFrom(alice.Identity.PublicKey.AsSpan()),
            Challenge = challenge.Challenge,
            Signature = ByteString.CopyFrom(signature),
        }).ResponseAsync);
    }

    [Fact]
    public async Task Send_BeyondBurst_RateLimitedUntilRefilled()
    {
        (TestDevice alice, TestDevice bob, TestDevice carol) = await AliceBobAndCarolAsync();
        for (int i = 0; i < 60; i++)
        {
            Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(bob))).Results.Single().Status);
        }

        EnvelopeResult limited = (await alice.SendAsync(alice.RatchetEnvelope(bob))).Results.Single();
        Assert.Equal(EnvelopeStatus.RateLimited, limited.Status);
        Assert.Equal(1000ul, limited.RetryAfterMs);

        // Another pair has its own bucket; a second later one more token is there.
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(carol))).Results.Single().Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(bob))).Results.Single().Status);
        Assert.Equal(EnvelopeStatus.RateLimited, (await alice.SendAsync(alice.RatchetEnvelope(bob))).Results.Single().Status);

        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Equal(61, (await stream.ReadUntilDrainedAsync()).Count);
    }

    [Fact]
    public async Task Send_OneBatchToTwoAccountsBeyondBurst_EachAccountSpendsItsOwnTokensInOrder()
    {
        (TestDevice alice, TestDevice bob, TestDevice carol) = await AliceBobAndCarolAsync();
        Assert.All((await alice.SendAsync(Enumerable.Range(0, 58).Select(_ => alice.RatchetEnvelope(bob)).ToArray())).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));

        // Two tokens left for bob, a full bucket for carol; the batch alternates between them.
        SendResponse mixed = await alice.SendAsync(
            alice.RatchetEnvelope(bob), alice.RatchetEnvelope(carol), alice.RatchetEnvelope(bob), alice.RatchetEnvelope(bob), alice.RatchetEnvelope(carol));

        Assert.Equal(
            [EnvelopeStatus.Accepted, EnvelopeStatus.Accepted, EnvelopeStatus.Accepted, EnvelopeStatus.RateLimited, EnvelopeStatus.Accepted],
            mixed.Results.Select(r => r.Status));
        Assert.Equal(1000ul, mixed.Results[3].RetryAfterMs);
    }

    [Fact]
    public async Task StatusPost_AfterItsSignedExpiry_NotDeliveredAndSweptEverywhere()
    {
        (TestDevice alice, TestDevice bob, TestDevice carol) = await AliceBobAndCarolAsync();
        using GroupSender sender = GroupSender.Create();
        ulong expiresAt = (ulong)_time.GetUtcNow().AddHours(24).ToUnixTimeMilliseconds();
        var post = new PostRequest { Envelope = ByteString.CopyFrom(alice.Envelope(alice.Address, RelayKind.Person, sender.Encrypt("at the beach"u8, expiresAt))) };
        post.Audience.Add([bob.ApiAddress, carol.ApiAddress]);
        Assert.All((await alice.Messaging.PostAsync(post, alice.Call())).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
        using (ReceiveStream early = await bob.ReceiveAsync())
        {
            Assert.Single(await early.ReadUntilDrainedAsync());
        }

        _time.Advance(TimeSpan.FromHours(24));
        await carol.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using (ReceiveStream late = await carol.ReceiveAsync())
        {
            Assert.Empty(await late.ReadUntilDrainedAsync());
        }

        // Swept (by the background sweeper, which the clock just moved past, or here): gone from every
        // queue even for a reader whose clock says it has not expired.
        IRelayStore store = _server.Services.GetRequiredService<IRelayStore>();
        Assert.NotNull(await store.GetDeviceAsync(new Addressing.DeviceAddress(carol.Name, 1), default));
        await store.DeleteExpiredAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), default);
        Assert.Empty((await store.ReadQueueAsync(new Addressing.DeviceAddress(carol.Name, 1), 0, 100, 0, default)).Deliveries);
        Assert.Empty((await store.ReadQueueAsync(new Addressing.DeviceAddress(bob.Name, 1), 0, 100, 0, default)).Deliveries);

        // A post whose signed expiry has passed is refused as expired, for everyone.
        Assert.All((await alice.Messaging.PostAsync(post, alice.Call())).Results, r => Assert.Equal(EnvelopeStatus.Expired, r.Status));
    }

    [Fact]
    public async Task Policy_ConsentEngine_RefusesWithReasonStoresNothingAndBillsDeliveredByCategory()
    {
        string shopName = Names.New("shop");
        using var shop = new TestDevice(_server, shopName, 1, RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await shop.AuthenticateAsync();
        await alice.AuthenticateAsync();

        // No customer message and no grant: the business may not write, in any category.
        EnvelopeResult refused = (await shop.SendAsync(shop.RatchetEnvelope(alice))).Results.Single();
        Assert.Equal(EnvelopeStatus.Refused, refused.Status);
        Assert.Equal("NoConsent", refused.Reason);
        using GroupSender sender = GroupSender.Create();
        var post = new PostRequest { Envelope = ByteString.CopyFrom(shop.Envelope(shop.Address, RelayKind.Business, sender.Encrypt("sale"u8, 0))) };
        post.Audience.Add(alice.ApiAddress);
        Assert.Equal("NoConsent", (await shop.Messaging.PostAsync(post, shop.Call())).Results.Single().Reason);

        // The customer writes: 24 hours in which every category is delivered (the relay's clock).
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(shop))).Results.Single().Status);
        Assert.Equal(EnvelopeStatus.Accepted, (await shop.SendAsync(shop.RatchetEnvelope(alice))).Results.Single().Status);
        Assert.Equal(EnvelopeStatus.Accepted, (await shop.SendAsync(shop.Envelope(alice.Address, RelayKind.Person, TestEnvelopes.RandomRatchetMessage(), category: Category.Utility))).Results.Single().Status);
        _time.Advance(TimeSpan.FromHours(24));
        await shop.AuthenticateAsync();
        await alice.AuthenticateAsync();
        Assert.Equal("WindowClosed", (await shop.SendAsync(shop.RatchetEnvelope(alice))).Results.Single().Reason);
        Assert.Equal("NoConsent", (await shop.SendAsync(shop.Envelope(alice.Address, RelayKind.Person, TestEnvelopes.RandomRatchetMessage(), category: Category.Marketing))).Results.Single().Reason);

        using ReceiveStream stream = await alice.ReceiveAsync();
        Assert.Equal(2, (await stream.ReadUntilDrainedAsync()).Count);
        uint today = (uint)(_time.GetUtcNow().ToUnixTimeMilliseconds() / 86_400_000);
        GetUsageResponse usage = await shop.Billing.GetUsageAsync(new GetUsageRequest { Account = shopName, FromDay = today - 2, ToDay = today }, shop.Call());
        Assert.Equal(["SERVICE", "UTILITY"], usage.Rows.Select(r => r.Category).Order(StringComparer.Ordinal));
        Assert.All(usage.Rows, r => Assert.Equal(1ul, r.Messages));
    }

    /// <summary>Three authenticated devices (disposed with the test).</summary>
    private async Task<(TestDevice Alice, TestDevice Bob, TestDevice Carol)> AliceBobAndCarolAsync()
    {
        var devices = new[] { new TestDevice(_server, Names.New("alice")), new TestDevice(_server, Names.New("bob")), new TestDevice(_server, Names.New("carol")) };
        _devices.AddRange(devices);
        foreach (TestDevice device in devices)
        {
            await device.AuthenticateAsync();
        }

        return (devices[0], devices[1], devices[2]);
    }
}
